using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class LoopFaultTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task TheRunAsyncTaskObservesTheCoroutinesException(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);

        Task<int> task = rig.Loop.RunAsync<int>(async () =>
        {
            await Loop.Yield();
            throw new InvalidOperationException("coroutine failed");
        });

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => task.Guarded());
        Assert.Equal("coroutine failed", error.Message);
        await Eventually.TrueAsync(() => !rig.Faults.IsEmpty, "the fault is reported");
        LoopFaultEventArgs fault = Assert.Single(rig.Faults);
        Assert.Same(error, fault.Exception);
        Assert.Equal(FaultSource.Coroutine, fault.Source);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnUnhandledCoroutineExceptionRaisesFaultedAndTheLoopKeepsRunning(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, loops: 2);
        Loop loop = rig.Group[1];
        var thrown = new InvalidOperationException("nobody handles this");

        loop.Spawn(async () =>
        {
            await Loop.Yield();
            throw thrown;
        });

        await Eventually.TrueAsync(() => !rig.Faults.IsEmpty, "the fault is reported");
        LoopFaultEventArgs fault = Assert.Single(rig.Faults);
        Assert.Same(thrown, fault.Exception);
        Assert.Equal(FaultSource.Coroutine, fault.Source);
        Assert.Equal(1, fault.LoopIndex);
        LoopStatistics stats = rig.Group.GetStatistics()[1];
        Assert.Equal(1, stats.CoroutinesFaulted);
        Assert.Equal(0, stats.CoroutinesInFlight);

        int after = await loop.RunAsync(async () =>
        {
            await Loop.Yield();
            return await rig.Device.SubmitAsync(static x => x * 2, 21);
        }).Guarded();
        Assert.Equal(42, after);
        await Eventually.TrueAsync(() => rig.Group.GetStatistics()[1].CoroutinesCompleted == 1, "the later coroutine counts as completed");
        Assert.Equal(1, rig.Group.GetStatistics()[1].CoroutinesFaulted);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ASynchronouslyThrowingCoroutineIsReportedToo(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);

        rig.Loop.Spawn(() => throw new FormatException("thrown before any await"));

        await Eventually.TrueAsync(() => !rig.Faults.IsEmpty, "the fault is reported");
        Assert.IsType<FormatException>(Assert.Single(rig.Faults).Exception);
        Assert.Equal(1, rig.Group.GetStatistics()[0].CoroutinesFaulted);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task CancelledCoroutinesCountAsCancelledRatherThanFaulted(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);

        rig.Loop.Spawn(async () =>
        {
            await Loop.Yield();
            throw new OperationCanceledException();
        });

        await Eventually.TrueAsync(() => rig.Group.GetStatistics()[0].CoroutinesCancelled == 1, "the coroutine counts as cancelled");
        Assert.Equal(0, rig.Group.GetStatistics()[0].CoroutinesFaulted);
        Assert.Empty(rig.Faults);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AsyncVoidExceptionsOnALoopAreReportedAsWorkItemFaults(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var thrown = new InvalidOperationException("from async void");

        await rig.Loop.RunAsync(() =>
        {
            FireAndForget(thrown);
            return ValueTask.CompletedTask;
        }).Guarded();

        await Eventually.TrueAsync(() => !rig.Faults.IsEmpty, "the fault is reported");
        LoopFaultEventArgs fault = Assert.Single(rig.Faults);
        Assert.Same(thrown, fault.Exception);
        Assert.Equal(FaultSource.WorkItem, fault.Source);
        Assert.Equal(0, rig.Group.GetStatistics()[0].CoroutinesFaulted);

        Assert.Equal(5, await rig.Loop.RunAsync(() => ValueTask.FromResult(5)).Guarded());
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AFaultedHandlerThatThrowsDoesNotStopTheLoop(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        rig.Group.Faulted += (_, _) => throw new InvalidOperationException("handler failed");

        rig.Loop.Spawn(() => throw new FormatException("first"));
        await Eventually.TrueAsync(() => !rig.Faults.IsEmpty, "the fault is reported");

        Assert.Equal(3, await rig.Loop.RunAsync(() => ValueTask.FromResult(3)).Guarded());
    }

    private static async void FireAndForget(Exception error)
    {
        await Task.Yield();
        throw error;
    }
}
