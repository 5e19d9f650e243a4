using System.Threading.Tasks.Sources;
using Interlude.Loops;

namespace Interlude.Sockets;

/// <summary>
/// One direction's wait for readiness on a loop-owned descriptor: a reusable awaitable, so waiting allocates
/// nothing. Armed, completed and reset on the owning loop; the continuation runs inline there.
/// </summary>
/// <remarks>
/// Cancellation: a token's callback (any thread) only posts to the loop, which fails the wait if it is still
/// armed with a token that has been cancelled. A late callback from an earlier wait therefore never fails a
/// later one: that one's own token decides. Every field is touched only by the owning loop.
/// </remarks>
internal sealed class ReadinessWait : IValueTaskSource
{
    private static readonly Action<object?> s_cancelRequested = static s => ((ReadinessWait)s!).PostCancel();
    private static readonly Action<object?> s_cancelOnLoop = static s => ((ReadinessWait)s!).CancelOnLoop();

    private readonly Loop _loop;
    private LoopValueTaskSourceCore<bool> _core;
    private CancellationToken _token;
    private CancellationTokenRegistration _registration;

    internal ReadinessWait(Loop loop) => _loop = loop;

    /// <summary>Owner only: a wait is armed and not yet completed.</summary>
    internal bool IsArmed { get; private set; }

    /// <summary>Owner only: the awaitable for the next readiness; <paramref name="cancellationToken"/> fails it.</summary>
    /// <exception cref="InvalidOperationException">A wait is already pending.</exception>
    internal ValueTask Arm(CancellationToken cancellationToken = default)
    {
        if (IsArmed)
        {
            throw new InvalidOperationException("Only one wait per direction may be pending on a socket or listener.");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        IsArmed = true;
        if (cancellationToken.CanBeCanceled)
        {
            _token = cancellationToken;
            _registration = cancellationToken.UnsafeRegister(s_cancelRequested, this);
        }

        return new ValueTask(this, _core.Version);
    }

    /// <summary>Owner only: readiness arrived.</summary>
    internal void Complete()
    {
        if (IsArmed)
        {
            Disarm();
            _core.SetResult(true);
        }
    }

    /// <summary>Owner only: fails the pending wait, if any. Returns whether one was pending.</summary>
    internal bool Fail(Exception error)
    {
        if (!IsArmed)
        {
            return false;
        }

        Disarm();
        _core.SetException(error);
        return true;
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
        }
    }

    /// <summary>Before the continuation runs (it may arm again): forget this wait's token.</summary>
    private void Disarm()
    {
        IsArmed = false;
        if (_token.CanBeCanceled)
        {
            _registration.Unregister();
            _registration = default;
            _token = default;
        }
    }

    private void PostCancel() => _loop.Schedule(s_cancelOnLoop, this);

    private void CancelOnLoop()
    {
        if (IsArmed && _token.IsCancellationRequested)
        {
            Fail(new OperationCanceledException(_token));
        }
    }
}
