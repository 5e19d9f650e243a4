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
        var latencies = new ConcurrentBag<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Interlude" && instrument.Name is "interlude.offloads.completed" or "interlude.offload.latency")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => completed += value);
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => latencies.Add(value));
        listener.Start();

        long before = Collect();
        await Task.WhenAll(Enumerable.Range(0, offloads)
            .Select(i => rig.Group.RunAsync(async () => await rig.Device.SubmitAsync(static x => x, i))))
            .Guarded();
        long after = Collect();

        Assert.True(after - before >= offloads, $"completed offloads went from {before} to {after}");
        Assert.True(latencies.Count >= offloads, $"only {latencies.Count} latencies were recorded");
        Assert.All(latencies, latency => Assert.True(latency >= 0));

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
        Assert.Equal(1, seen["interlude.dispatch.waits"]);
        Assert.Equal(2, seen["interlude.dispatch.queued"]);

        handler.Open(0);
        handler.Open(1);
        await waiting.Guarded();
        await Eventually.TrueAsync(() => rejecting.PendingEvents == 0 && shedding.PendingEvents == 0, "every kept event is handled");
        seen.Clear();
        listener.RecordObservableInstruments();
        Assert.Equal(0, seen["interlude.dispatch.queued"]);
    }
}
