using System.Diagnostics;
using Interlude.Waiting;

namespace Interlude.BlockingThreads;

/// <summary>
/// One blocked-thread owner: its wake word and its completion queue index (its bit in the dispatcher's
/// <see cref="Primitives.ReadinessSummary"/>). The blocking protocol of an offload lives here.
/// </summary>
/// <remarks>
/// Thread rules: <see cref="Parker"/> is slept on by the owner and unparked by the dispatcher, by disposal and by
/// cancellation. <see cref="Thread"/> is written and read under the
/// dispatcher's lock only. An owner has one offload outstanding at a time, so its queue never holds more than
/// one completion and a rung bit means "your operation is done" (or is a stale ring, which the owner's re-check
/// absorbs).
/// </remarks>
internal sealed class OwnerSlot
{
    private static readonly Action<object?> s_onCancel = static s =>
    {
        var op = (DispatchedOperation)s!;
        op.CancelRequested = true;
        op.Owner?.Parker.Unpark();
    };

    /// <summary>
    /// How long an owner served by a dispatcher sleeps before it looks for its completion itself: a bound on the
    /// delay when normal-priority threads starve the idle-priority dispatcher of its core.
    /// </summary>
    internal static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(4);

    private static readonly long s_recheckNs = (long)RecheckInterval.TotalNanoseconds;

    internal OwnerSlot(CompletionDispatcher dispatcher, int index, Thread thread)
    {
        Dispatcher = dispatcher;
        Index = index;
        Thread = thread;
    }

    /// <summary>The dispatcher that wakes this owner.</summary>
    internal CompletionDispatcher Dispatcher { get; }

    /// <summary>This owner's queue in the dispatcher's readiness summary.</summary>
    internal int Index { get; }

    internal Parker Parker { get; } = new();

    /// <summary>The thread that owns the slot. Under the dispatcher's lock only.</summary>
    internal Thread Thread { get; set; }

    /// <summary>
    /// Owner thread: submits one operation to <paramref name="accelerator"/>, sleeps on its own wake word until
    /// it is done, and returns its result (or throws the device's error, a cancellation, or
    /// <see cref="ObjectDisposedException"/> when the dispatcher is disposed meanwhile).
    /// </summary>
    internal TResult Offload<TState, TResult>(Accelerator accelerator, Func<TState, TResult>? work, TState state, CancellationToken cancellationToken)
    {
        var op = DispatchedOperation<TState, TResult>.Rent(this, work, state);
        CompletionDispatcher dispatcher = Dispatcher;
        dispatcher.OwnerStartsWaiting();
        try
        {
            try
            {
                accelerator.SubmitSelfCompleting(op, cancellationToken);
            }
            catch
            {
                op.ReturnUnsubmitted();
                throw;
            }

            CancellationTokenRegistration registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(s_onCancel, op)
                : default;
            bool done;
            try
            {
                done = WaitFor(op, cancellationToken);
            }
            finally
            {
                // Waits for a callback already running, so none touches the operation once it is reused.
                registration.Dispose();
            }

            if (!done)
            {
                // Abandoned: the device still holds it, skips it if it has not started it, and drops it when
                // done; it is never reused.
                op.CancelRequested = true;
                if (dispatcher.IsDisposed)
                {
                    throw new ObjectDisposedException(nameof(CompletionDispatcher), "The dispatcher was disposed while the operation was in flight.");
                }

                throw new OperationCanceledException(cancellationToken);
            }

            return op.TakeResult(cancellationToken);
        }
        finally
        {
            dispatcher.OwnerStopsWaiting();
        }
    }

    /// <summary>Device thread (or whoever fails the device's queue): the owner's operation is done; the dispatcher's doorbell rings.</summary>
    internal void Deliver() => Dispatcher.Deliver(this);

    /// <summary>Owner: true once the operation is done, false if abandoned on cancellation or disposal.</summary>
    private bool WaitFor(DispatchedOperation op, CancellationToken cancellationToken)
    {
        if (Dispatcher is { OwnerSpinTicks: > 0 } dispatcher)
        {
            long until = Stopwatch.GetTimestamp() + dispatcher.OwnerSpinTicks;
            while (!op.IsDone && Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(1);
            }
        }

        while (true)
        {
            if (op.IsDone)
            {
                return true;
            }

            if (cancellationToken.IsCancellationRequested || Dispatcher.IsDisposed)
            {
                // A completion that won the race is delivered rather than thrown away.
                return !op.TryAbandon();
            }

            if (!Parker.TryPrepare())
            {
                // A wake for an earlier operation, or a ring this owner had already seen: look again.
                continue;
            }

            if (op.IsDone || cancellationToken.IsCancellationRequested || Dispatcher.IsDisposed)
            {
                Parker.Cancel();
                continue;
            }

            Parker.Wait(s_recheckNs);
        }
    }
}
