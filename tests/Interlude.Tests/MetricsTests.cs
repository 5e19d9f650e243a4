using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class MetricsTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AMeterListenerSeesCompletedOffloadsIncrease(WaitStrategy strategy)
    {
        const int offloads = 200;
        await using TestRig rig = TestRig.Create(strategy, loops: 2);
        long completed = 0;
        var durations = new ConcurrentBag<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Interlude" && instrument.Name is "interlude.offload.completed" or "interlude.offload.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => completed += value);
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => durations.Add(value));
        listener.Start();

        long before = Collect();
        await Task.WhenAll(Enumerable.Range(0, offloads)
            .Select(i => rig.Group.RunAsync(async () => await rig.Device.SubmitAsync(static x => x, i))))
            .Guarded();
        long after = Collect();

        Assert.True(after - before >= offloads, $"completed offloads went from {before} to {after}");
        Assert.True(durations.Count >= offloads, $"only {durations.Count} durations were recorded");

        // In seconds: the simulated device's offloads take microseconds, never as long as a second here.
        Assert.All(durations, duration => Assert.InRange(duration, 0, 1));

        long Collect()
        {
            completed = 0;
            listener.RecordObservableInstruments();
            return completed;
        }
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AMeterListenerSeesDispatchRejectionsShedsWaitsAndQueueDepth(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<int>();
        var rejecting = new KeyedDispatcher<int, int>(rig.Group, handler.Handle, new KeyedDispatcherOptions { MaxQueuedEventsPerKey = 1 });
        var shedding = new KeyedDispatcher<int, int>(rig.Group, handler.Handle, new KeyedDispatcherOptions { MaxQueuedEventsPerKey = 1, Overflow = DispatchOverflow.ShedOldest });
        var seen = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Interlude" && instrument.Name.StartsWith("interlude.dispatch.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => seen.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.Start();

        Task waiting = await rig.Loop.RunAsync(() =>
        {
            rejecting.Dispatch(0, 0);              // runs
            rejecting.Dispatch(0, 1);              // queued
            Assert.False(rejecting.TryDispatch(0, 2));
            shedding.Dispatch(1, 0);               // runs
            shedding.Dispatch(1, 1);               // queued
            shedding.Dispatch(1, 2);               // sheds 1
            return ValueTask.FromResult(rejecting.DispatchAsync(0, 3).AsTask());
        }).Guarded();

        seen.Clear();
        listener.RecordObservableInstruments();
        Assert.Equal(1, seen["interlude.dispatch.rejected"]);
        Assert.Equal(1, seen["interlude.dispatch.shed"]);
        Assert.Equal(1, seen["interlude.dispatch.wait"]);
        Assert.Equal(2, seen["interlude.dispatch.queue.length"]);

        handler.Open(0);
        handler.Open(1);
        await waiting.Guarded();
        await Eventually.TrueAsync(() => rejecting.PendingEvents == 0 && shedding.PendingEvents == 0, "every kept event is handled");
        seen.Clear();
        listener.RecordObservableInstruments();
        Assert.Equal(0, seen["interlude.dispatch.queue.length"]);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task Coroutine_outcomes_are_one_counter_with_an_outcome_attribute_per_loop(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, loops: 2);
        var seen = new ConcurrentDictionary<(string Outcome, int Loop), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Interlude" && instrument.Name == "interlude.coroutine.ended")
            {
                Assert.Equal("{coroutine}", instrument.Unit);
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
        {
            string? outcome = null;
            int loop = -1;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "interlude.coroutine.outcome")
                {
                    outcome = (string)tag.Value!;
                }
                else if (tag.Key == "interlude.loop.index")
                {
                    loop = (int)tag.Value!;
                }
            }

            seen.AddOrUpdate((outcome!, loop), value, (_, total) => total + value);
        });
        listener.Start();

        await rig.Group[0].RunAsync(static () => ValueTask.CompletedTask).Guarded();
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Group[1].RunAsync(static () => throw new InvalidOperationException("expected")));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Group[1].RunAsync(static () => throw new OperationCanceledException()));
        seen.Clear();
        listener.RecordObservableInstruments();

        Assert.True(seen[("completed", 0)] >= 1);
        Assert.True(seen[("faulted", 1)] >= 1);
        Assert.True(seen[("cancelled", 1)] >= 1);
        Assert.Equal(0, seen[("faulted", 0)]);
    }

    [Fact]
    public void Every_instrument_has_a_unit_and_a_description_and_a_semantic_name()
    {
        using var rig = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false });
        var instruments = new List<Instrument>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Interlude")
            {
                instruments.Add(instrument);
            }
        };
        listener.Start();

        Assert.Contains(instruments, i => i.Name == "interlude.offload.duration" && i.Unit == "s");
        Assert.Contains(instruments, i => i.Name == "interlude.loop.utilization" && i.Unit == "1");
        Assert.All(instruments, i =>
        {
            Assert.Matches("^interlude(\\.[a-z_]+)+$", i.Name);
            Assert.False(string.IsNullOrEmpty(i.Unit), $"{i.Name} has no unit");
            Assert.False(string.IsNullOrEmpty(i.Description), $"{i.Name} has no description");
            Assert.DoesNotContain("total", i.Name, StringComparison.Ordinal);
        });
    }
}
