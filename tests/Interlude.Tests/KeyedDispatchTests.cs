using System.Collections.Concurrent;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class KeyedDispatchTests
{
    private const int Keys = 1000;
    private const int EventsPerKey = 12;
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(90);

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task EventsOfOneKeyRunOneAtATimeInArrivalOrderWhileKeysOverlap(WaitStrategy strategy)
    {
        await using var group = new LoopGroup(new LoopGroupOptions { LoopCount = 2, PinThreads = false, WaitStrategy = strategy });
        using var device = new SimulatedAccelerator(new SimulatedAcceleratorOptions
        {
            ServiceTime = ServiceTime.LogNormal(TimeSpan.FromMicroseconds(20), 0.8),
            Seed = 7,
            IdleSpin = TimeSpan.FromMicroseconds(50),
        });

        var next = new int[Keys];
        var running = new int[Keys];
        var violations = new ConcurrentQueue<string>();
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int handled = 0;
        int inFlight = 0;
        int maxInFlight = 0;

        var dispatcher = new KeyedDispatcher<int, int>(group, async (key, sequence) =>
        {
            if (Interlocked.Exchange(ref running[key], 1) != 0)
            {
                violations.Enqueue($"key {key}: event {sequence} started while another event of the key ran");
            }

            if (next[key] != sequence)
            {
                violations.Enqueue($"key {key}: expected event {next[key]}, got {sequence}");
            }

            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            await device.SubmitAsync();
            if (sequence % 3 == 0)
            {
                await Loop.Yield();
            }

            await device.SubmitAsync();

            // Post-processing: the next event of this key must not have started yet.
            next[key] = sequence + 1;
            Interlocked.Decrement(ref inFlight);
            Volatile.Write(ref running[key], 0);
            if (Interlocked.Increment(ref handled) == Keys * EventsPerKey)
            {
                allDone.TrySetResult();
            }
        });

        // A seeded random interleaving of the keys that keeps each key's own events in order.
        var random = new Random(12345);
        var sent = new int[Keys];
        var order = new List<(int Key, int Sequence)>(Keys * EventsPerKey);
        var remaining = Enumerable.Range(0, Keys).ToList();
        while (remaining.Count > 0)
        {
            int index = random.Next(remaining.Count);
            int key = remaining[index];
            order.Add((key, sent[key]++));
            if (sent[key] == EventsPerKey)
            {
                remaining[index] = remaining[^1];
                remaining.RemoveAt(remaining.Count - 1);
            }
        }

        // First half dispatched from outside the loops, the rest from a coroutine on a loop.
        int half = order.Count / 2;
        for (int i = 0; i < half; i++)
        {
            dispatcher.Dispatch(order[i].Key, order[i].Sequence);
        }

        await group[0].RunAsync(() =>
        {
            for (int i = half; i < order.Count; i++)
            {
                dispatcher.Dispatch(order[i].Key, order[i].Sequence);
            }

            return ValueTask.CompletedTask;
        }).WaitAsync(s_guard);

        await allDone.Task.WaitAsync(s_guard);
        Assert.Empty(violations);
        Assert.All(next, n => Assert.Equal(EventsPerKey, n));
        Assert.True(maxInFlight > 1, $"different keys never overlapped (max concurrency {maxInFlight})");
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AHandlerThatThrowsIsReportedAndItsKeyGoesOn(WaitStrategy strategy)
    {
        await using var group = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false, WaitStrategy = strategy });
        var faults = new ConcurrentQueue<LoopFaultEventArgs>();
        group.Faulted += (_, e) => faults.Enqueue(e);
        var seen = new ConcurrentQueue<int>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new KeyedDispatcher<string, int>(group, async (key, value) =>
        {
            await Loop.Yield();
            seen.Enqueue(value);
            if (value == 1)
            {
                throw new InvalidDataException("bad event");
            }

            if (value == 3)
            {
                done.TrySetResult();
            }
        });

        dispatcher.Dispatch("connection", 0);
        dispatcher.Dispatch("connection", 1);
        dispatcher.Dispatch("connection", 2);
        dispatcher.Dispatch("connection", 3);
        await done.Task.WaitAsync(s_guard);

        Assert.Equal([0, 1, 2, 3], seen.ToArray());
        LoopFaultEventArgs fault = Assert.Single(faults);
        Assert.IsType<InvalidDataException>(fault.Exception);
        Assert.Equal(FaultSource.Coroutine, fault.Source);
        Assert.Equal(1, group.GetStatistics()[0].CoroutinesFaulted);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task StopDrainsDispatchedEvents(WaitStrategy strategy)
    {
        var group = new LoopGroup(new LoopGroupOptions { LoopCount = 2, PinThreads = false, WaitStrategy = strategy });
        int handled = 0;
        var dispatcher = new KeyedDispatcher<int, int>(group, async (_, _) =>
        {
            await group.Loops[0].Delay(TimeSpan.Zero);
            await Loop.Current!.Delay(TimeSpan.FromMilliseconds(1));
            Interlocked.Increment(ref handled);
        });

        for (int i = 0; i < 200; i++)
        {
            dispatcher.Dispatch(i % 10, i);
        }

        ShutdownReport report = await group.StopAsync(TimeSpan.FromSeconds(60)).WaitAsync(s_guard);
        Assert.True(report.Drained);
        Assert.Equal(200, handled);
        Assert.Throws<InvalidOperationException>(() => dispatcher.Dispatch(1, 1));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current)
        {
            int previous = Interlocked.CompareExchange(ref target, value, current);
            if (previous == current)
            {
                return;
            }

            current = previous;
        }
    }
}
