using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// <c>DispatchAsync</c>: waiting for room in a key or in a loop, oldest first, and leaving the wait when
/// cancelled or when the group stops.
/// </summary>
public sealed class KeyedDispatchWaitTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task DispatchAsyncOnTheKeysLoopWaitsForRoomInTheKeyAndKeepsTheKeysOrder(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<string>();
        var dispatcher = new KeyedDispatcher<string, int>(rig.Group, handler.Handle, new KeyedDispatcherOptions { MaxQueuedEventsPerKey = 1 });

        (bool FirstAtOnce, bool SecondAtOnce, Task Third) calls = await KeyedDispatchOverloadTests.OnLoop(rig.Loop, () =>
        {
            ValueTask first = dispatcher.DispatchAsync("connection", 0);  // runs
            ValueTask second = dispatcher.DispatchAsync("connection", 1); // waits in the key
            ValueTask third = dispatcher.DispatchAsync("connection", 2);  // no room: the call waits
            return (first.IsCompletedSuccessfully, second.IsCompletedSuccessfully, third.AsTask());
        });

        Assert.True(calls.FirstAtOnce);
        Assert.True(calls.SecondAtOnce);
        Assert.False(calls.Third.IsCompleted);
        Assert.Equal(1, rig.Group.GetStatistics()[0].DispatchWaits);

        handler.Open("connection");
        await calls.Third.Guarded();
        await Eventually.TrueAsync(() => handler.Handled.Count == 3, "every event is handled");
        Assert.Equal([0, 1, 2], handler.HandledOf("connection"));
        Assert.Equal(0, rig.Group.GetStatistics()[0].DispatchRejected);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task DispatchAsyncFromAnotherThreadWaitsForTheLoopsRoomOldestFirstAndNothingBargesIn(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<int>();
        var dispatcher = new KeyedDispatcher<int, int>(rig.Group, handler.Handle, new KeyedDispatcherOptions { MaxPendingEventsPerLoop = 2 });
        dispatcher.Dispatch(0, 0);
        dispatcher.Dispatch(1, 0);

        Task older = dispatcher.DispatchAsync(2, 0).AsTask();
        Task newer = dispatcher.DispatchAsync(3, 0).AsTask();
        await Eventually.TrueAsync(() => rig.Group.GetStatistics()[0].DispatchWaits == 2, "both calls wait on the loop");
        Assert.False(older.IsCompleted);
        Assert.False(newer.IsCompleted);

        handler.Open(0);
        await older.Guarded();

        // The unit key 0 gave back went to the oldest waiter; nothing is free for anyone else.
        Assert.False(newer.IsCompleted);
        Assert.False(dispatcher.TryDispatch(4, 0));

        handler.Open(1);
        await newer.Guarded();
        handler.Open(2);
        handler.Open(3);
        await Eventually.TrueAsync(() => handler.Handled.Count == 4 && dispatcher.PendingEvents == 0, "every admitted event is handled");
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ACancelledWaitForTheLoopsRoomFailsAndItsEventIsNeverHandled(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<int>();
        var dispatcher = new KeyedDispatcher<int, int>(rig.Group, handler.Handle, new KeyedDispatcherOptions { MaxPendingEventsPerLoop = 1 });
        using var cancel = new CancellationTokenSource();
        dispatcher.Dispatch(0, 0);

        Task cancelled = dispatcher.DispatchAsync(1, 0, cancel.Token).AsTask();
        Task behind = await KeyedDispatchOverloadTests.OnLoop(rig.Loop, () => dispatcher.DispatchAsync(2, 0).AsTask());
        await Eventually.TrueAsync(() => rig.Group.GetStatistics()[0].DispatchWaits == 2, "both calls wait on the loop");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Guarded());
        Assert.False(behind.IsCompleted);

        handler.Open(0);
        await behind.Guarded();
        handler.Open(1);
        handler.Open(2);
        await Eventually.TrueAsync(() => handler.Handled.Count == 2 && dispatcher.PendingEvents == 0, "the admitted events are handled");
        Assert.Empty(handler.HandledOf(1));
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ACancelledWaitForTheKeysRoomGivesBackTheLoopsRoomItHeld(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<int>();
        var dispatcher = new KeyedDispatcher<int, int>(rig.Group, handler.Handle, new KeyedDispatcherOptions { MaxQueuedEventsPerKey = 1, MaxPendingEventsPerLoop = 8 });
        using var cancel = new CancellationTokenSource();

        Task waiting = await KeyedDispatchOverloadTests.OnLoop(rig.Loop, () =>
        {
            dispatcher.Dispatch(0, 0); // runs
            dispatcher.Dispatch(0, 1); // waits in the key
            return dispatcher.DispatchAsync(0, 2, cancel.Token).AsTask(); // holds a unit of the loop's room
        });
        Assert.Equal(3, dispatcher.PendingEvents);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Guarded());
        await Eventually.TrueAsync(() => dispatcher.PendingEvents == 2, "the withdrawn waiter gives its unit back");

        handler.Open(0);
        await Eventually.TrueAsync(() => handler.Handled.Count == 2 && dispatcher.PendingEvents == 0, "the queued events are handled");
        Assert.Equal([0, 1], handler.HandledOf(0));
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnAlreadyCancelledTokenFailsTheCallWithoutQueuingTheEvent(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<int>();
        var dispatcher = new KeyedDispatcher<int, int>(rig.Group, handler.Handle);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dispatcher.DispatchAsync(0, 0, new CancellationToken(canceled: true)).AsTask());
        Assert.Equal(0, dispatcher.PendingEvents);
        Assert.Empty(handler.Started);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AWaitingCallFailsWhenTheGroupStopsWithoutDraining(WaitStrategy strategy)
    {
        LoopGroup group = TestRig.CreateGroup(strategy);
        var handler = new GatedHandler<int>();
        var dispatcher = new KeyedDispatcher<int, int>(group, handler.Handle, new KeyedDispatcherOptions { MaxPendingEventsPerLoop = 1 });
        dispatcher.Dispatch(0, 0); // never finishes
        Task waiting = dispatcher.DispatchAsync(1, 0).AsTask();
        await Eventually.TrueAsync(() => group.GetStatistics()[0].DispatchWaits == 1, "the call waits on the loop");

        ShutdownReport report = await group.StopAsync(TimeSpan.FromMilliseconds(50)).Guarded();

        Assert.False(report.Drained);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Guarded());
        Assert.Empty(handler.HandledOf(1));
    }
}
