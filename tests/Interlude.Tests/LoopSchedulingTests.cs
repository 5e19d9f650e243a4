using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class LoopSchedulingTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ACoroutineThatSuspendedFinishesOnItsLoopWithoutAThreadPoolHop(WaitStrategy strategy)
    {
        const int Coroutines = 2_000;
        await using TestRig rig = TestRig.Create(strategy);
        int finished = 0;
        using var allDone = new SemaphoreSlim(0);

        // Counted around the spawning and the finishing only; one hop per coroutine would add thousands.
        long before = ThreadPool.CompletedWorkItemCount;
        rig.Loop.Spawn(() =>
        {
            for (int i = 0; i < Coroutines; i++)
            {
                rig.Loop.Spawn(async () =>
                {
                    await Loop.Yield(); // suspends: the coroutine's task now completes later, on the loop
                    if (++finished == Coroutines)
                    {
                        allDone.Release();
                    }
                });
            }

            return ValueTask.CompletedTask;
        });
        Assert.True(await allDone.WaitAsync(Timeouts.Generous));
        await Eventually.TrueAsync(() => rig.Group.GetStatistics()[0].CoroutinesCompleted >= Coroutines + 1, "every coroutine is counted as finished");
        long hops = ThreadPool.CompletedWorkItemCount - before;

        Assert.True(hops < Coroutines / 4, $"{hops} ThreadPool work items ran for {Coroutines} coroutines finishing on their loop");
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task CoroutinesResumeOnTheirLoopAfterAwaitingOrdinaryTasks(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, loops: 2);

        Task[] tasks = rig.Group.Loops
            .Select(loop => loop.RunAsync(async () =>
            {
                Assert.Same(loop, Loop.Current);
                Assert.Same(loop.Thread, Thread.CurrentThread);

                await Task.Delay(5);
                Assert.Same(loop, Loop.Current);

                await Task.Yield();
                Assert.Same(loop, Loop.Current);

                await Loop.Yield();
                Assert.Same(loop, Loop.Current);

                int onPool = await Task.Run(() => Loop.Current is null ? 1 : 0);
                Assert.Equal(1, onPool);
                Assert.Same(loop, Loop.Current);

                var completedElsewhere = new TaskCompletionSource();
                _ = Task.Run(completedElsewhere.SetResult);
                await completedElsewhere.Task;
                Assert.Same(loop, Loop.Current);
                Assert.Same(loop.Thread, Thread.CurrentThread);
            }))
            .ToArray();

        await Task.WhenAll(tasks).Guarded();
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task TheLoopsSynchronizationContextIsCurrentOnTheLoop(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, loops: 2);

        foreach (Loop loop in rig.Group.Loops)
        {
            SynchronizationContext? context = await loop.RunAsync(() => ValueTask.FromResult(SynchronizationContext.Current)).Guarded();
            Assert.Same(loop.SynchronizationContext, context);
        }

        Assert.NotSame(rig.Group[0].SynchronizationContext, rig.Group[1].SynchronizationContext);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task PostsFromOtherThreadsWakeASleepingLoop(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        Loop loop = rig.Loop;
        bool sleeps = strategy != WaitStrategy.Poll;
        if (sleeps)
        {
            await Eventually.TrueAsync(() => loop.Parker.IsParked, "the idle loop is asleep");
        }

        long wakesBefore = rig.Group.GetStatistics()[0].NotifiedWakes;
        var ran = new TaskCompletionSource<Loop?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.Run(() => loop.SynchronizationContext.Post(_ => ran.SetResult(Loop.Current), null));

        Assert.Same(loop, await ran.Task.Guarded());
        if (sleeps)
        {
            Assert.True(rig.Group.GetStatistics()[0].NotifiedWakes > wakesBefore, "the post did not wake the sleeping loop");
        }
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task SpawnsFromOtherThreadsWakeASleepingLoop(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        Loop loop = rig.Loop;
        for (int round = 0; round < 20; round++)
        {
            if (strategy != WaitStrategy.Poll)
            {
                await Eventually.TrueAsync(() => loop.Parker.IsParked, "the idle loop is asleep");
            }

            var ran = new TaskCompletionSource<Loop?>(TaskCreationOptions.RunContinuationsAsynchronously);
            loop.Spawn(() =>
            {
                ran.SetResult(Loop.Current);
                return ValueTask.CompletedTask;
            });
            Assert.Same(loop, await ran.Task.Guarded());
        }
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task SendFromAnotherThreadRunsOnTheLoopBeforeReturning(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        Loop? ranOn = null;

        await Task.Run(() => rig.Loop.SynchronizationContext.Send(_ => ranOn = Loop.Current, null)).Guarded();

        Assert.Same(rig.Loop, ranOn);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task TasksStartedOnTheLoopsSchedulerRunOnTheLoop(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);

        Loop? ranOn = await Task.Factory.StartNew(
            () => Loop.Current,
            CancellationToken.None,
            TaskCreationOptions.None,
            rig.Loop.TaskScheduler).Guarded();

        Assert.Same(rig.Loop, ranOn);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task YieldLetsEveryReadyCoroutineRunInTurn(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var trace = new List<string>();

        await rig.Loop.RunAsync(async () =>
        {
            Task a = Step("a");
            Task b = Step("b");
            await Task.WhenAll(a, b);
        }).Guarded();

        Assert.Equal(["a0", "b0", "a1", "b1", "a2", "b2"], trace);

        async Task Step(string name)
        {
            for (int i = 0; i < 3; i++)
            {
                trace.Add(name + i);
                await Loop.Yield();
            }
        }
    }
}
