using System.Collections.Concurrent;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// The keyed dispatcher's bounds and what <c>Dispatch</c> and <c>TryDispatch</c> do past them: each test fills
/// a key or a loop with events whose handlers stay suspended until the test opens their key's gate.
/// </summary>
public sealed class KeyedDispatchOverloadTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task PastTheKeyBoundDispatchOnTheKeysLoopThrowsAnOverloadErrorNamingTheBound(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<string>();
        var dispatcher = new KeyedDispatcher<string, int>(rig.Group, handler.Handle, new KeyedDispatcherOptions { MaxQueuedEventsPerKey = 2 });

        Exception? error = await OnLoop(rig.Loop, () =>
        {
            for (int i = 0; i < 3; i++)
            {
                dispatcher.Dispatch("busy", i); // 0 runs, 1 and 2 wait
            }

            dispatcher.Dispatch("other", 0);
            return Record.Exception(() => dispatcher.Dispatch("busy", 3));
        });

        DispatchOverloadedException overload = Assert.IsType<DispatchOverloadedException>(error);
        Assert.Contains("MaxQueuedEventsPerKey (2)", overload.Message, StringComparison.Ordinal);
        LoopStatistics stats = rig.Group.GetStatistics()[0];
        Assert.Equal(1, stats.DispatchRejected);
        Assert.Equal(2, stats.DispatchQueued);

        handler.Open("busy");
        handler.Open("other");
        await Eventually.TrueAsync(() => handler.Handled.Count == 4, "every accepted event is handled");
        Assert.Equal([0, 1, 2], handler.HandledOf("busy"));
        Assert.Equal(0, rig.Group.GetStatistics()[0].DispatchQueued);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task PastTheLoopBoundDispatchFromAnotherThreadThrowsAnOverloadErrorNamingTheBound(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<int>();
        var dispatcher = new KeyedDispatcher<int, int>(rig.Group, handler.Handle, new KeyedDispatcherOptions { MaxPendingEventsPerLoop = 3 });

        // Three idle keys: each event starts at once, and still counts until its handler has finished.
        for (int key = 0; key < 3; key++)
        {
            dispatcher.Dispatch(key, 0);
        }

        DispatchOverloadedException overload = Assert.Throws<DispatchOverloadedException>(() => dispatcher.Dispatch(3, 0));
        Assert.Contains("MaxPendingEventsPerLoop (3)", overload.Message, StringComparison.Ordinal);
        Assert.Equal(1, rig.Group.GetStatistics()[0].DispatchRejected);
        Assert.Equal(3, dispatcher.PendingEvents);

        handler.Open(0);
        await Eventually.TrueAsync(() => dispatcher.PendingEvents == 2, "the finished event gives its room back");
        dispatcher.Dispatch(3, 0);
        handler.Open(1);
        handler.Open(2);
        handler.Open(3);
        await Eventually.TrueAsync(() => dispatcher.PendingEvents == 0 && handler.Handled.Count == 4, "every accepted event is handled");
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task TryDispatchReturnsFalseWhereThereIsNoRoomAndNeverShedsOrThrows(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<int>();
        var shed = new ConcurrentQueue<int>();
        var dispatcher = new KeyedDispatcher<int, int>(
            rig.Group,
            handler.Handle,
            new KeyedDispatcherOptions { MaxQueuedEventsPerKey = 1, MaxPendingEventsPerLoop = 3, Overflow = DispatchOverflow.ShedOldest },
            eventShed: (_, e) => shed.Enqueue(e));

        bool[] onLoop = await OnLoop(rig.Loop, () => new[]
        {
            dispatcher.TryDispatch(0, 0), // runs
            dispatcher.TryDispatch(0, 1), // waits
            dispatcher.TryDispatch(0, 2), // the key is full
            dispatcher.TryDispatch(1, 0), // runs: the loop now holds 3
        });
        bool fromElsewhere = dispatcher.TryDispatch(2, 0);

        Assert.Equal([true, true, false, true], onLoop);
        Assert.False(fromElsewhere);
        Assert.Empty(shed);
        Assert.Equal(2, rig.Group.GetStatistics()[0].DispatchRejected);
        Assert.Equal(0, rig.Group.GetStatistics()[0].DispatchShed);

        handler.Open(0);
        handler.Open(1);
        await Eventually.TrueAsync(() => handler.Handled.Count == 3, "every accepted event is handled");
        Assert.Equal([0, 1], handler.HandledOf(0));
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task WithShedOldestTheKeysOldestWaitingEventIsShedAndGivenToTheCallbackOnItsLoop(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<string>();
        var shed = new ConcurrentQueue<(string Key, int Event, bool OnLoop)>();
        KeyedDispatcher<string, int>? dispatcher = null;
        dispatcher = new KeyedDispatcher<string, int>(
            rig.Group,
            handler.Handle,
            new KeyedDispatcherOptions { MaxQueuedEventsPerKey = 2, Overflow = DispatchOverflow.ShedOldest },
            eventShed: (key, e) => shed.Enqueue((key, e, dispatcher!.LoopFor(key).IsCurrent)));

        await OnLoop(rig.Loop, () =>
        {
            for (int i = 0; i < 5; i++)
            {
                dispatcher.Dispatch("connection", i); // 0 runs; 1 and 2 wait; 3 sheds 1; 4 sheds 2
            }

            return true;
        });

        Assert.Equal([("connection", 1, true), ("connection", 2, true)], shed.ToArray());
        handler.Open("connection");
        await Eventually.TrueAsync(() => handler.Handled.Count == 3, "the events kept are handled");
        Assert.Equal([0, 3, 4], handler.HandledOf("connection"));
        LoopStatistics stats = rig.Group.GetStatistics()[0];
        Assert.Equal(2, stats.DispatchShed);
        Assert.Equal(0, stats.DispatchRejected);
        Assert.Equal(2, stats.CoroutinesCancelled);

        // A shed event ends its coroutine, so nothing is left in flight and the group drains.
        await Eventually.TrueAsync(() => rig.Group.InFlightCoroutines == 0, "the shed events no longer count as in flight");
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task WithShedOldestEventsFromAnotherThreadShedOnArrivalOrWhenTheLoopIsFull(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<int>();
        var shed = new ConcurrentQueue<(int Key, int Event, bool OnLoop)>();
        KeyedDispatcher<int, int>? dispatcher = null;
        dispatcher = new KeyedDispatcher<int, int>(
            rig.Group,
            handler.Handle,
            new KeyedDispatcherOptions { MaxQueuedEventsPerKey = 1, MaxPendingEventsPerLoop = 3, Overflow = DispatchOverflow.ShedOldest },
            eventShed: (key, e) => shed.Enqueue((key, e, dispatcher!.LoopFor(key).IsCurrent)));

        // Key 0: event 0 runs and 1 waits when 2 arrives: the key is full, so 1 is shed there, on the loop.
        dispatcher.Dispatch(0, 0);
        dispatcher.Dispatch(0, 1);
        dispatcher.Dispatch(0, 2);
        await Eventually.TrueAsync(() => shed.Count == 1 && dispatcher.PendingEvents == 2, "the arrival sheds the key's oldest waiting event");

        // Key 1 fills the loop; key 2's event finds no room before it leaves this thread and is shed here.
        dispatcher.Dispatch(1, 0);
        dispatcher.Dispatch(2, 0);

        Assert.Equal([(0, 1, true), (2, 0, false)], shed.ToArray());
        handler.Open(0);
        handler.Open(1);
        await Eventually.TrueAsync(() => handler.Handled.Count == 3 && dispatcher.PendingEvents == 0, "the events kept are handled");
        Assert.Equal([0, 2], handler.HandledOf(0));
        Assert.Equal(2, rig.Group.GetStatistics()[0].DispatchShed);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AShedCallbackThatThrowsIsReportedAndDispatchGoesOn(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        var handler = new GatedHandler<int>();
        var dispatcher = new KeyedDispatcher<int, int>(
            rig.Group,
            handler.Handle,
            new KeyedDispatcherOptions { MaxQueuedEventsPerKey = 0, Overflow = DispatchOverflow.ShedOldest },
            eventShed: (_, _) => throw new InvalidDataException("answering busy failed"));

        await OnLoop(rig.Loop, () =>
        {
            dispatcher.Dispatch(0, 0);
            dispatcher.Dispatch(0, 1); // no room behind a running event: shed
            return true;
        });

        LoopFaultEventArgs fault = Assert.Single(rig.Faults);
        Assert.IsType<InvalidDataException>(fault.Exception);
        handler.Open(0);
        await Eventually.TrueAsync(() => handler.Handled.Count == 1, "the running event finishes");
    }

    /// <summary>
    /// A handler that suspends and then finishes on its loop is finished there at once: its room is free within
    /// the same turn of the loop, not after a detour through the ThreadPool and the loop's inbox, during which a
    /// loop at its bound would refuse events it has room for.
    /// </summary>
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AHandlerThatFinishesOnItsLoopGivesItsRoomBackInTheSameTurn(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        bool handled = false;
        var dispatcher = new KeyedDispatcher<int, int>(rig.Group, async (_, _) =>
        {
            await Loop.Yield();
            handled = true;
        });

        long pendingOnceHandled = await rig.Loop.RunAsync(async () =>
        {
            dispatcher.Dispatch(0, 0);
            while (!handled)
            {
                await Loop.Yield();
            }

            return dispatcher.PendingEvents;
        }).Guarded();

        Assert.Equal(0, pendingOnceHandled);
    }

    [Fact]
    public void TheBoundsAndTheOverflowPolicyAreValidatedByName()
    {
        using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block);
        Assert.Equal("MaxQueuedEventsPerKey", Invalid(new KeyedDispatcherOptions { MaxQueuedEventsPerKey = -1 }).ParamName);
        Assert.Equal("MaxPendingEventsPerLoop", Invalid(new KeyedDispatcherOptions { MaxPendingEventsPerLoop = 0 }).ParamName);
        Assert.Equal("Overflow", Invalid(new KeyedDispatcherOptions { Overflow = (DispatchOverflow)7 }).ParamName);

        ArgumentOutOfRangeException Invalid(KeyedDispatcherOptions options)
            => Assert.Throws<ArgumentOutOfRangeException>(() => new KeyedDispatcher<int, int>(group, static (_, _) => default, options));
    }

    [Fact]
    public void TheDefaultsBoundEveryKeyAndEveryLoop()
    {
        var options = new KeyedDispatcherOptions();
        Assert.Equal(256, options.MaxQueuedEventsPerKey);
        Assert.Equal(16_384, options.MaxPendingEventsPerLoop);
        Assert.Equal(DispatchOverflow.Reject, options.Overflow);
    }

    internal static Task<T> OnLoop<T>(Loop loop, Func<T> body) => loop.RunAsync(() => ValueTask.FromResult(body())).Guarded();
}
