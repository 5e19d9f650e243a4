using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class ShutdownTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task StoppingPastTheDrainTimeoutCancelsEveryCoroutineAndEndsEveryLoopThread(WaitStrategy strategy)
    {
        const int offloaders = 6;
        const int sleepers = 6;
        const int stoppingWatchers = 2;
        LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        using SimulatedAccelerator device = TestRig.CreateDevice(options => options.ServiceTime = ServiceTime.Fixed(TimeSpan.FromSeconds(10)));
        try
        {
            int waiting = 0;
            var tasks = new List<Task>();
            for (int i = 0; i < offloaders; i++)
            {
                tasks.Add(group.RunAsync(async () =>
                {
                    ValueTask offload = device.SubmitAsync();
                    Interlocked.Increment(ref waiting);
                    await offload;
                }));
            }

            for (int i = 0; i < sleepers; i++)
            {
                tasks.Add(group.RunAsync(async () =>
                {
                    ValueTask delay = Loop.Current!.Delay(TimeSpan.FromMinutes(10));
                    Interlocked.Increment(ref waiting);
                    await delay;
                }));
            }

            for (int i = 0; i < stoppingWatchers; i++)
            {
                tasks.Add(group.RunAsync(async () =>
                {
                    Task stopping = Task.Delay(Timeout.Infinite, group.Stopping);
                    Interlocked.Increment(ref waiting);
                    await stopping;
                }));
            }

            await Eventually.TrueAsync(() => Volatile.Read(ref waiting) == tasks.Count, "every coroutine is suspended");

            ShutdownReport report = await group.StopAsync(TimeSpan.FromMilliseconds(50)).Guarded();

            Assert.False(report.Drained);
            Assert.Equal(offloaders, report.CancelledOffloads);
            Assert.Equal(sleepers, report.CancelledTimers);
            Assert.Equal(0, report.Abandoned);
            Assert.All(tasks, task => Assert.True(task.IsCanceled, $"a coroutine's task is {task.Status}"));
            Assert.All(group.Loops, loop => Assert.False(loop.Thread.IsAlive, $"loop {loop.Index} still runs"));
            IReadOnlyList<LoopStatistics> stats = group.GetStatistics();
            Assert.Equal(tasks.Count, stats.Sum(s => s.CoroutinesCancelled));
            Assert.Equal(offloaders, stats.Sum(s => s.OffloadsCancelled));
            Assert.Equal(0, group.InFlightCoroutines);
        }
        finally
        {
            await group.DisposeAsync();
        }
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task StoppingWaitsForWorkThatFinishesWithinTheDrainTimeout(WaitStrategy strategy)
    {
        LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        using SimulatedAccelerator device = TestRig.CreateDevice(options => options.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMilliseconds(30)));
        try
        {
            int waiting = 0;
            var tasks = new List<Task<int>>();
            for (int i = 0; i < 8; i++)
            {
                int input = i;
                tasks.Add(group.RunAsync(async () =>
                {
                    ValueTask<int> offload = device.SubmitAsync(static x => x + 100, input);
                    Interlocked.Increment(ref waiting);
                    int result = await offload;
                    await Loop.Current!.Delay(TimeSpan.FromMilliseconds(30));
                    return result;
                }));
            }

            await Eventually.TrueAsync(() => Volatile.Read(ref waiting) == tasks.Count, "every coroutine has submitted");

            ShutdownReport report = await group.StopAsync(TimeSpan.FromSeconds(30)).Guarded();

            Assert.True(report.Drained);
            Assert.Equal(new ShutdownReport(true, 0, 0, 0, 0), report);
            Assert.Equal(Enumerable.Range(100, 8), tasks.Select(t => t.Result));
            Assert.All(group.Loops, loop => Assert.False(loop.Thread.IsAlive, $"loop {loop.Index} still runs"));
            Assert.Equal(8, group.GetStatistics().Sum(s => s.CoroutinesCompleted));
        }
        finally
        {
            await group.DisposeAsync();
        }
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task StoppingTwiceSharesTheFirstOutcome(WaitStrategy strategy)
    {
        LoopGroup group = TestRig.CreateGroup(strategy);
        Task<ShutdownReport> first = group.StopAsync(TimeSpan.FromSeconds(5));
        Task<ShutdownReport> second = group.StopAsync(TimeSpan.Zero);

        Assert.Same(first, second);
        Assert.True((await first.Guarded()).Drained);
        await group.DisposeAsync();
    }
}
