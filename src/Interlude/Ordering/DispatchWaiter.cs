using System.Threading.Tasks.Sources;
using Interlude.Primitives;

namespace Interlude.Ordering;

/// <summary>
/// A <see cref="KeyedDispatcher{TKey, TEvent}.DispatchAsync"/> call waiting for room, with its event.
/// </summary>
/// <remarks>
/// Thread rules. The outcome is claimed once, with a compare-exchange on <c>_claimed</c>: by the shard's loop
/// when it admits the event, or by a cancellation callback (the caller's token, or the group's stop) on any
/// thread. The links, <see cref="List"/> and <see cref="HoldsRoom"/> belong to the shard's loop alone; a
/// cancellation on another thread only posts <see cref="KeyedShard{TKey, TEvent}.Withdraw"/> there. The awaiter
/// is never resumed on the stack of the code that admitted or cancelled it: admission is signalled through the
/// shard's loop queue, a failure through the loop the waiter was created on (inline only when it was created off
/// any loop), so neither the shard's bookkeeping nor a canceller is re-entered by the awaiter's continuation.
/// Not pooled: waiting happens only when there is no room, and each waiting caller holds one.
/// </remarks>
internal sealed class DispatchWaiter<TKey, TEvent> : IValueTaskSource
    where TKey : notnull
{
    private const int HooksRegistering = 0;
    private const int HooksRegistered = 1;
    private const int HooksReleased = 2;

    private static readonly Action<object?> s_callerCancelled = static s => ((DispatchWaiter<TKey, TEvent>)s!).Cancel(fromStop: false);
    private static readonly Action<object?> s_groupStopping = static s => ((DispatchWaiter<TKey, TEvent>)s!).Cancel(fromStop: true);
    private static readonly Action<object?> s_signalAdmitted = static s => ((DispatchWaiter<TKey, TEvent>)s!).CompleteAdmitted();
    private static readonly Action<object?> s_fail = static s => ((DispatchWaiter<TKey, TEvent>)s!).Fail();
    private static readonly Action<object?> s_withdraw = static s =>
    {
        var waiter = (DispatchWaiter<TKey, TEvent>)s!;
        waiter.Shard.Withdraw(waiter);
    };

    // Set at creation; read by the shard's loop and by cancellation callbacks.
    private readonly Loop? _createdOn;

    private LoopValueTaskSourceCore<bool> _core;
    private CancellationHook _callerCancellation;
    private CancellationHook _groupStopping;

    // 0 until admission (the shard's loop) or a cancellation (any thread) claims the outcome; compare-exchange.
    private int _claimed;

    // The two registrations' lifecycle, so exactly one thread unregisters them even when a token fires (and the
    // outcome is settled on another thread) while Register is still running: HooksRegistering until Register
    // has made both, then HooksRegistered; HooksReleased once ReleaseHooks has run. Exchanged by any thread.
    private int _hooks;

    // Written by the cancellation that claimed the outcome, before it schedules or runs Fail; read by Fail.
    private CancellationToken _cancelledBy;

    // The shard's loop only.
    internal DispatchWaiterList<TKey, TEvent>? List;
    internal DispatchWaiter<TKey, TEvent>? Previous;
    internal DispatchWaiter<TKey, TEvent>? Next;

    /// <summary>The shard's loop only: the waiter holds a unit of its loop's room while it waits for its key's.</summary>
    internal bool HoldsRoom;

    internal DispatchWaiter(KeyedShard<TKey, TEvent> shard, TKey key, TEvent @event)
    {
        Shard = shard;
        Key = key;
        Event = @event;
        _createdOn = Loop.Current;
    }

    internal KeyedShard<TKey, TEvent> Shard { get; }

    internal TKey Key { get; }

    internal TEvent Event { get; }

    internal ValueTask Task => new(this, _core.Version);

    /// <summary>Any thread: whether admission or a cancellation has claimed the outcome.</summary>
    internal bool IsClaimed => Volatile.Read(ref _claimed) != 0;

    /// <summary>Registers the cancellations. Called once, before the waiter is published anywhere.</summary>
    internal void Register(CancellationToken cancellationToken)
    {
        _callerCancellation.Register(cancellationToken, s_callerCancelled, this);
        _groupStopping.Register(Shard.Loop.Group.Stopping, s_groupStopping, this);
        if (Interlocked.CompareExchange(ref _hooks, HooksRegistered, HooksRegistering) != HooksRegistering)
        {
            // Settled while registering (a token had fired): the release was left to this thread.
            ReleaseRegistrations();
        }
    }

    /// <summary>
    /// The shard's loop: claims the outcome for admission. False if a cancellation claimed it first; the event is
    /// then not to be queued.
    /// </summary>
    internal bool TryClaim() => Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;

    /// <summary>The shard's loop, after <see cref="TryClaim"/>: the event is queued; resume the awaiter from the loop's queue.</summary>
    internal void SignalAdmitted() => Shard.Loop.Schedule(s_signalAdmitted, this);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    private void CompleteAdmitted()
    {
        ReleaseHooks();
        _core.SetResult(true);
    }

    /// <summary>Any thread: a token fired. The first of this and admission wins.</summary>
    private void Cancel(bool fromStop)
    {
        if (Interlocked.CompareExchange(ref _claimed, 1, 0) != 0)
        {
            return;
        }

        _cancelledBy = fromStop ? _groupStopping.Token : _callerCancellation.Token;

        // Leave the shard's lists (and give back the room held) on its loop, where they live.
        Shard.Loop.Schedule(s_withdraw, this);
        if (_createdOn is { } loop)
        {
            loop.Schedule(s_fail, this);
        }
        else
        {
            Fail();
        }
    }

    private void Fail()
    {
        ReleaseHooks();
        _core.SetException(new OperationCanceledException(_cancelledBy));
    }

    /// <summary>The outcome is settled: unregister now, or leave it to <see cref="Register"/> if it is still running.</summary>
    private void ReleaseHooks()
    {
        if (Interlocked.Exchange(ref _hooks, HooksReleased) == HooksRegistered)
        {
            ReleaseRegistrations();
        }
    }

    private void ReleaseRegistrations()
    {
        _callerCancellation.Release();
        _groupStopping.Release();
    }
}
