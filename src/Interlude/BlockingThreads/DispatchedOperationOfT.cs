using System.Runtime.ExceptionServices;

namespace Interlude.BlockingThreads;

/// <summary>
/// A <see cref="DispatchedOperation"/> whose work function maps <typeparamref name="TState"/> to
/// <typeparamref name="TResult"/> on the device. One is cached per owner thread and type: a blocked thread has
/// one offload outstanding at a time, so steady state allocates nothing.
/// </summary>
internal sealed class DispatchedOperation<TState, TResult> : DispatchedOperation
{
    [ThreadStatic]
    private static DispatchedOperation<TState, TResult>? t_cached;

    // Written by the owner before submission; read by the device thread in Execute.
    private Func<TState, TResult>? _work;
    private TState? _state;

    // Written by the device thread in Execute (before DONE); read by the owner after DONE.
    private TResult? _result;

    /// <summary>Owner: the calling thread's cached operation, or a new one, filled in.</summary>
    internal static DispatchedOperation<TState, TResult> Rent(OwnerSlot owner, Func<TState, TResult>? work, TState state)
    {
        DispatchedOperation<TState, TResult> op = t_cached ?? new DispatchedOperation<TState, TResult>();
        t_cached = null;
        op.Owner = owner;
        op._work = work;
        op._state = state;
        return op;
    }

    /// <summary>Owner: an operation the device never saw (its submission was refused) goes back to the cache.</summary>
    internal void ReturnUnsubmitted() => Recycle();

    /// <summary>
    /// Owner, after DONE: the result, or the device's exception thrown as if from here. An operation the device
    /// skipped because its caller cancelled it throws <see cref="OperationCanceledException"/>.
    /// </summary>
    internal TResult TakeResult(CancellationToken cancellationToken)
    {
        Exception? error = DeviceError;
        bool skipped = error is null && !Ran;
        TResult result = _result!;
        Recycle();
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        if (skipped)
        {
            throw new OperationCanceledException("The operation was cancelled before the device ran it.", cancellationToken);
        }

        return result;
    }

    // Always: Execute records that the device ran the operation (Ran), which tells a completion from a skip.
    internal override bool HasPayload => true;

    internal override void Execute()
    {
        Ran = true;
        if (_work is null)
        {
            return;
        }

        try
        {
            _result = _work(_state!);
        }
        catch (Exception ex)
        {
            DeviceError = ex;
        }
    }

    private void Recycle()
    {
        ResetDispatched();
        _work = null;
        _state = default;
        _result = default;
        t_cached = this;
    }
}
