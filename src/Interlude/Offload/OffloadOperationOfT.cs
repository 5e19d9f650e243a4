using System.Threading.Tasks.Sources;
using Interlude.Primitives;

namespace Interlude.Offload;

/// <summary>
/// An offload carrying <typeparamref name="TState"/> and completing with <typeparamref name="TResult"/>: either a
/// work function the device runs on the state, or the state as a request the device reads and answers with a
/// result. It is its own awaited source. Pooled per loop thread.
/// </summary>
internal sealed class OffloadOperation<TState, TResult>
    : OffloadOperation, IValueTaskSource<TResult>, IValueTaskSource, IOperationRequest<TState>, IOperationResult<TResult>
{
    private const int PoolLimit = 4096;

    private static readonly Action<object?> s_cancelRequested = static s => ((OffloadOperation<TState, TResult>)s!).OnCancelRequested();
    private static readonly Action<object?> s_cancelOnLoop = static s => ((OffloadOperation<TState, TResult>)s!).CancelOnLoop();

    [ThreadStatic]
    private static Stack<OffloadOperation<TState, TResult>>? t_pool;

    private LoopValueTaskSourceCore<TResult> _core;
    private Func<TState, TResult>? _work;
    private TState? _state;
    private TResult? _result;
    private CancellationHook _cancellation;

    // Set once by whichever of device completion and cancellation gets there first (see TryClaimCompletion).
    private int _completionClaimed;

    // Owner loop (submitter), before publishing: whether the device must read the operation even without a work
    // function (a request).
    private bool _isRequest;

    // Written by the device thread (Execute, SetResult), read by the completer after the device hands it back:
    // whether the device answered it (a device skips an operation whose cancellation it sees first).
    private bool _ran;

    // Owner loop only (loop path): the device still holds it / the awaiter has read the outcome.
    private bool _deviceOwned;
    private bool _consumed;

    internal short Version => _core.Version;

    /// <summary>Rents from the calling loop thread's pool, or allocates off a loop.</summary>
    /// <param name="work">The work function, or null.</param>
    /// <param name="state">Its state; with no work function and <paramref name="isRequest"/>, the request.</param>
    /// <param name="isRequest">Whether the device reads <paramref name="state"/> and sets the result itself.</param>
    /// <param name="argument">The device-defined argument carried in the submission slot.</param>
    /// <param name="channel">The submitting loop's channel, or null off any loop.</param>
    internal static OffloadOperation<TState, TResult> Rent(Func<TState, TResult>? work, TState state, bool isRequest, long argument, DeviceChannel? channel)
    {
        OffloadOperation<TState, TResult> op = channel is not null && t_pool is { Count: > 0 } pool
            ? pool.Pop()
            : new OffloadOperation<TState, TResult>();
        op._work = work;
        op._state = state;
        op._isRequest = isRequest;
        op.Argument = argument;
        op.Channel = channel;
        op._deviceOwned = true;

        // On the loop path the owner loop reaps and completes it, and it is awaited there too.
        op._core.CompletesOn = channel?.Loop;
        return op;
    }

    /// <summary>Submitter, before publishing: see <see cref="LoopValueTaskSourceCore{TResult}.UnsafeInlineCompletions"/>.</summary>
    internal void ContinueOnCompletingThread() => _core.UnsafeInlineCompletions = true;

    /// <summary>Submitter, before publishing: hooks up cancellation.</summary>
    internal void RegisterCancellation(CancellationToken token)
    {
        _cancellation.Register(token, s_cancelRequested, this);
    }

    internal override bool HasPayload => _work is not null || _isRequest;

    TState IOperationRequest<TState>.Request => _state!;

    void IOperationResult<TResult>.SetResult(TResult result)
    {
        _result = result;
        _ran = true;
    }

    internal override void Execute()
    {
        if (_work is null)
        {
            return;
        }

        _ran = true;
        try
        {
            _result = _work(_state!);
        }
        catch (Exception ex)
        {
            DeviceError = ex;
        }
    }

    internal override void OnDeviceDone()
    {
        if (Channel is not null)
        {
            _deviceOwned = false;
        }

        if (TryClaimCompletion())
        {
            _cancellation.Release();
            if (DeviceError is not null)
            {
                _core.SetException(DeviceError);
            }
            else if (HasPayload && !_ran && !CancelRequested)
            {
                _core.SetException(new AcceleratorException("The device completed the operation without running it or setting its result."));
            }
            else if (HasPayload && !_ran)
            {
                // The device skipped it because its token fired first; the cancellation posted to the loop may
                // not have run yet, but the outcome is the same: cancelled, never a default result.
                if (Channel is not null)
                {
                    Channel.Loop.Counters.OffloadsCancelled++;
                }

                _core.SetException(new OperationCanceledException(_cancellation.Token));
            }
            else
            {
                _core.SetResult(_result!);
            }
        }
        else
        {
            TryRecycle();
        }
    }

    ValueTaskSourceStatus IValueTaskSource<TResult>.GetStatus(short token) => _core.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<TResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    TResult IValueTaskSource<TResult>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _consumed = true;
            TryRecycle();
        }
    }

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _consumed = true;
            TryRecycle();
        }
    }

    /// <summary>Owner loop: fails an operation that has not completed, leaving it with the device (shutdown).</summary>
    internal override bool CancelOnLoop(CancellationToken token)
    {
        CancelRequested = true;
        if (!TryClaimCompletion())
        {
            return false;
        }

        _cancellation.Release();
        if (Channel is not null)
        {
            Channel.Loop.Counters.OffloadsCancelled++;

            // Before the awaiter resumes: an operation still waiting for ring space leaves the queue now and never
            // reaches the device; one the device has is marked for it to drop.
            Channel.OnCancelled(this);
        }

        _core.SetException(new OperationCanceledException(token));
        return true;
    }

    private void OnCancelRequested()
    {
        CancelRequested = true;
        if (Channel is { } channel)
        {
            channel.Loop.Schedule(s_cancelOnLoop, this);
        }
        else if (Interlocked.Exchange(ref _completionClaimed, 1) == 0)
        {
            // Fallback path: no loop owns it, complete it here; the device skips or discards it.
            _core.SetException(new OperationCanceledException(_cancellation.Token));
        }
    }

    private void CancelOnLoop()
    {
        if (!_core.IsCompleted)
        {
            CancelOnLoop(_cancellation.Token);
        }
    }

    /// <summary>
    /// Whichever of completion and cancellation calls first wins. On the loop path both run on the owner loop,
    /// so a plain flag does, with no locked instruction on a line the device has just read; off a loop the device
    /// thread and a cancelling thread may race, so it is an exchange.
    /// </summary>
    private bool TryClaimCompletion()
    {
        if (Channel is not null)
        {
            if (_completionClaimed != 0)
            {
                return false;
            }

            _completionClaimed = 1;
            return true;
        }

        return Interlocked.Exchange(ref _completionClaimed, 1) == 0;
    }

    /// <summary>Owner loop: back to the pool once both the device and the awaiter are done with it.</summary>
    private void TryRecycle()
    {
        if (Channel is null || _deviceOwned || !_consumed || !_cancellation.AllowsReuse || !Channel.Loop.IsCurrent)
        {
            return;
        }

        Channel = null;
        NextWaiting = null;
        PreviousWaiting = null;
        IsWaiting = false;
        PreviousOutstanding = null;
        NextOutstanding = null;
        DeviceError = null;
        CancelRequested = false;
        Argument = 0;
        _work = null;
        _isRequest = false;
        _state = default;
        _result = default;
        _cancellation = default;
        _completionClaimed = 0;
        _ran = false;
        _consumed = false;
        _core.Reset();
        Stack<OffloadOperation<TState, TResult>> pool = t_pool ??= new Stack<OffloadOperation<TState, TResult>>();
        if (pool.Count < PoolLimit)
        {
            pool.Push(this);
        }
    }
}
