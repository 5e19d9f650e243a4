using System.Diagnostics;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class TimerTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task DelaysCompleteOnTheLoopInDueOrder(WaitStrategy strategy)
    {
        int[] delaysMs = [70, 10, 50, 30, 90, 20, 60, 5, 40, 80];
        await using TestRig rig = TestRig.Create(strategy);
        Loop loop = rig.Loop;
        var dueWindows = new (long Earliest, long Latest)[delaysMs.Length];
        var completed = new List<int>();

        await loop.RunAsync(async () =>
        {
            var waits = new Task[delaysMs.Length];
            for (int i = 0; i < delaysMs.Length; i++)
            {
                long delayTicks = (long)(delaysMs[i] / 1000.0 * Stopwatch.Frequency);
                long before = Stopwatch.GetTimestamp();
                ValueTask delay = loop.Delay(TimeSpan.FromMilliseconds(delaysMs[i]));
                long after = Stopwatch.GetTimestamp();
                dueWindows[i] = (before + delayTicks, after + delayTicks);
                waits[i] = RecordAsync(delay, i);
            }

            await Task.WhenAll(waits);
        }).Guarded();

        Assert.Equal(Enumerable.Range(0, delaysMs.Length), completed.Order());
        for (int k = 1; k < completed.Count; k++)
        {
            (long Earliest, long Latest) previous = dueWindows[completed[k - 1]];
            (long Earliest, long Latest) next = dueWindows[completed[k]];
            Assert.True(
                previous.Earliest <= next.Latest,
                $"the {delaysMs[completed[k - 1]]} ms delay completed before the {delaysMs[completed[k]]} ms delay that was due earlier");
        }

        async Task RecordAsync(ValueTask delay, int index)
        {
            await delay;
            Assert.Same(loop, Loop.Current);
            completed.Add(index);
        }
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task CancellingADelayThrowsOperationCanceledExceptionOnTheLoop(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        Loop loop = rig.Loop;
        using var cancel = new CancellationTokenSource();
        int waiting = 0;

        Task<CancellationToken> observed = loop.RunAsync(async () =>
        {
            ValueTask delay = loop.Delay(TimeSpan.FromMinutes(10), cancel.Token);
            Volatile.Write(ref waiting, 1);
            try
            {
                await delay;
                return CancellationToken.None;
            }
            catch (OperationCanceledException ex)
            {
                Assert.Same(loop, Loop.Current);
                return ex.CancellationToken;
            }
        });
        await Eventually.TrueAsync(() => Volatile.Read(ref waiting) == 1, "the delay is pending");
        await Task.Run(cancel.Cancel);

        Assert.Equal(cancel.Token, await observed.Guarded());
        await loop.RunAsync(async () => await loop.Delay(TimeSpan.FromMilliseconds(1))).Guarded();
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task CancellingOneDelayLeavesTheOthersPending(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        Loop loop = rig.Loop;
        using var cancelFirst = new CancellationTokenSource();
        using var cancelSecond = new CancellationTokenSource();

        (Task First, Task Second) delays = await loop.RunAsync(() => ValueTask.FromResult((
            loop.Delay(Timeout.InfiniteTimeSpan, cancelFirst.Token).AsTask(),
            loop.Delay(Timeout.InfiniteTimeSpan, cancelSecond.Token).AsTask()))).Guarded();
        await cancelFirst.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delays.First.Guarded());
        await loop.RunAsync(async () => await loop.Delay(TimeSpan.FromMilliseconds(2))).Guarded();
        Assert.False(delays.Second.IsCompleted);

        await cancelSecond.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delays.Second.Guarded());
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnAlreadyCancelledTokenFailsTheDelayAtOnce(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        bool faultedAtOnce = await rig.Loop.RunAsync(() =>
        {
            ValueTask delay = rig.Loop.Delay(TimeSpan.FromMinutes(10), cancel.Token);
            return ValueTask.FromResult(delay.IsCanceled);
        }).Guarded();

        Assert.True(faultedAtOnce);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ManyShortDelaysAllComplete(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, loops: 2);

        Task[] tasks = Enumerable.Range(0, 200)
            .Select(i => rig.Group.RunAsync(async () =>
            {
                Loop loop = Loop.Current!;
                for (int k = 0; k < 5; k++)
                {
                    await loop.Delay(TimeSpan.FromMilliseconds(1 + ((i + k) % 3)));
                    Assert.Same(loop, Loop.Current);
                }
            }))
            .ToArray();

        await Task.WhenAll(tasks).Guarded();
    }
}
