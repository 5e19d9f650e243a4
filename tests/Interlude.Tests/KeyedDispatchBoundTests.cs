using System.Collections.Concurrent;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// Sustained overload against the bounds: producers on the loops and on other threads offer events far faster
/// than the handlers finish them, and every test counts what the dispatcher holds after each dispatch instead
/// of timing anything. Without the bounds the count grows with the number of events offered.
/// </summary>
public sealed class KeyedDispatchBoundTests
{
    private const int Keys = 500;
    private const int EventsPerProducer = 12_000;
    private const int MaxPerKey = 8;
    private const int MaxPerLoop = 256;
    private const int Loops = 2;

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task UnderSustainedOverloadTryDispatchHoldsNoMoreThanTheBoundAndRefusesTheRest(WaitStrategy strategy)
    {
        Overload run = await Overload.RunAsync(strategy, DispatchOverflow.Reject, static (d, key, e) => ValueTask.FromResult(d.TryDispatch(key, e)));

        Assert.True(run.Refused > 0, "the producers never outran the handlers");
        Assert.Equal(run.Offered, run.Handled + run.Refused);
        Assert.Equal(run.Refused, run.Statistics.Sum(s => s.DispatchRejected));
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task UnderSustainedOverloadDispatchWithShedOldestHoldsNoMoreThanTheBoundAndShedsTheRest(WaitStrategy strategy)
    {
        Overload run = await Overload.RunAsync(strategy, DispatchOverflow.ShedOldest, static (d, key, e) =>
        {
            d.Dispatch(key, e);
            return ValueTask.FromResult(true);
        });

        long shed = run.Statistics.Sum(s => s.DispatchShed);
        Assert.True(shed > 0, "the producers never outran the handlers");
        Assert.Equal(shed, run.Shed);
        Assert.Equal(run.Offered, run.Handled + shed);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task UnderSustainedOverloadDispatchAsyncHoldsNoMoreThanTheBoundAndHandlesEverything(WaitStrategy strategy)
    {
        Overload run = await Overload.RunAsync(strategy, DispatchOverflow.Reject, static async (d, key, e) =>
        {
            await d.DispatchAsync(key, e);
            return true;
        });

        Assert.True(run.Statistics.Sum(s => s.DispatchWaits) > 0, "the producers never had to wait");
        Assert.Equal(run.Offered, run.Handled);
        Assert.Equal(0, run.Statistics.Sum(s => s.DispatchRejected));
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task EventsOfOneKeyStillRunOneAtATimeInArrivalOrderWithTheBoundsInPlace(WaitStrategy strategy)
    {
        const int keys = 200;
        const int eventsPerKey = 10;
        const int producers = 4;
        await using TestRig rig = TestRig.Create(strategy, loops: Loops);
        var next = new int[keys];
        var running = new int[keys];
        var violations = new ConcurrentQueue<string>();
        long maxPending = 0;
        KeyedDispatcher<int, int>? dispatcher = null;
        dispatcher = new KeyedDispatcher<int, int>(
            rig.Group,
            async (key, sequence) =>
            {
                if (Interlocked.Exchange(ref running[key], 1) != 0)
                {
                    violations.Enqueue($"key {key}: event {sequence} started while another event of the key ran");
                }

                if (next[key] != sequence)
                {
                    violations.Enqueue($"key {key}: expected event {next[key]}, got {sequence}");
                }

                InterlockedMax(ref maxPending, dispatcher!.PendingEvents);
                await rig.Device.SubmitAsync();
                if (sequence % 2 == 0)
                {
                    await Loop.Yield();
                }

                next[key] = sequence + 1;
                Volatile.Write(ref running[key], 0);
            },
            new KeyedDispatcherOptions { MaxQueuedEventsPerKey = 2, MaxPendingEventsPerLoop = 16 });

        // Each key has one producer, which awaits every dispatch: that fixes the key's arrival order. Two
        // producers run on the loops, two on other threads.
        async Task Produce(int producer)
        {
            for (int sequence = 0; sequence < eventsPerKey; sequence++)
            {
                for (int key = producer; key < keys; key += producers)
                {
                    await dispatcher.DispatchAsync(key, sequence);
                }
            }
        }

        await Task.WhenAll(
            rig.Group[0].RunAsync(() => new ValueTask(Produce(0))),
            rig.Group[1].RunAsync(() => new ValueTask(Produce(1))),
            Task.Run(() => Produce(2)),
            Task.Run(() => Produce(3))).Guarded();
        await Eventually.TrueAsync(() => dispatcher.PendingEvents == 0, "every event is handled");

        Assert.Empty(violations);
        Assert.All(next, n => Assert.Equal(eventsPerKey, n));
        Assert.InRange(Volatile.Read(ref maxPending), 1, Loops * 16);
        Assert.True(rig.Group.GetStatistics().Sum(s => s.DispatchWaits) > 0, "the bounds never made a producer wait");
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current = Volatile.Read(ref target);
        while (value > current)
        {
            long previous = Interlocked.CompareExchange(ref target, value, current);
            if (previous == current)
            {
                return;
            }

            current = previous;
        }
    }

    /// <summary>
    /// One overload run: a producer coroutine on each loop (yielding to the handlers only every 32 events) and one
    /// producer thread (never yielding) offer events to 500 keys; each handler needs four turns of its loop.
    /// After every dispatch the producer reads what the dispatcher holds and its loop's queue depth, and the run
    /// fails if either ever passed its bound.
    /// </summary>
    private sealed class Overload
    {
        private long _maxPending;
        private long _maxQueued;
        private long _accepted;
        private long _handled;
        private long _shed;

        public long Offered { get; private set; }

        public long Handled => Volatile.Read(ref _handled);

        public long Refused => Offered - Volatile.Read(ref _accepted);

        public long Shed => Volatile.Read(ref _shed);

        public IReadOnlyList<LoopStatistics> Statistics { get; private set; } = [];

        public static async Task<Overload> RunAsync(WaitStrategy strategy, DispatchOverflow overflow, Func<KeyedDispatcher<int, int>, int, int, ValueTask<bool>> offer)
        {
            var run = new Overload();
            await using TestRig rig = TestRig.Create(strategy, loops: Loops);
            var dispatcher = new KeyedDispatcher<int, int>(
                rig.Group,
                async (_, _) =>
                {
                    for (int i = 0; i < 4; i++)
                    {
                        await Loop.Yield();
                    }

                    Interlocked.Increment(ref run._handled);
                },
                new KeyedDispatcherOptions { MaxQueuedEventsPerKey = MaxPerKey, MaxPendingEventsPerLoop = MaxPerLoop, Overflow = overflow },
                eventShed: (_, _) => Interlocked.Increment(ref run._shed));

            async Task Produce(int producer, bool yields)
            {
                for (int i = 0; i < EventsPerProducer; i++)
                {
                    int key = ((i * 7) + (producer * 131)) % Keys;
                    if (await offer(dispatcher, key, i))
                    {
                        Interlocked.Increment(ref run._accepted);
                    }

                    InterlockedMax(ref run._maxPending, dispatcher.PendingEvents);
                    if (Loop.Current is { } loop)
                    {
                        InterlockedMax(ref run._maxQueued, Volatile.Read(ref loop.Counters.DispatchQueued));
                    }

                    if (yields && i % 32 == 31)
                    {
                        await Loop.Yield();
                    }
                }
            }

            await Task.WhenAll(
                rig.Group[0].RunAsync(() => new ValueTask(Produce(0, yields: true))),
                rig.Group[1].RunAsync(() => new ValueTask(Produce(1, yields: true))),
                Task.Run(() => Produce(2, yields: false))).Guarded();
            run.Offered = 3L * EventsPerProducer;

            // Accepted events are either handled or, under ShedOldest, shed from their key's queue.
            await Eventually.TrueAsync(() => dispatcher.PendingEvents == 0, "every accepted event is handled or shed");
            run.Statistics = rig.Group.GetStatistics();

            Assert.InRange(Volatile.Read(ref run._maxPending), 1, Loops * MaxPerLoop);
            Assert.InRange(Volatile.Read(ref run._maxQueued), 0, MaxPerLoop);
            Assert.All(run.Statistics, s => Assert.Equal(0, s.DispatchQueued));
            return run;
        }
    }
}
