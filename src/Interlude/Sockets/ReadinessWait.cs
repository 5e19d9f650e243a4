using System.Threading.Tasks.Sources;
using Interlude.Loops;

namespace Interlude.Sockets;

/// <summary>
/// One direction's wait for readiness on a loop-owned descriptor: a reusable awaitable, so waiting allocates
/// nothing. Armed, completed and reset on the owning loop; the continuation runs inline there.
/// </summary>
internal sealed class ReadinessWait : IValueTaskSource
{
    private LoopValueTaskSourceCore<bool> _core;

    /// <summary>Owner only: a wait is armed and not yet completed.</summary>
    internal bool IsArmed { get; private set; }

    /// <summary>Owner only: the awaitable for the next readiness.</summary>
    internal ValueTask Arm()
    {
        if (IsArmed)
        {
            throw new InvalidOperationException("Only one wait per direction may be pending on a socket.");
        }

        IsArmed = true;
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Owner only: readiness arrived.</summary>
    internal void Complete()
    {
        if (IsArmed)
        {
            IsArmed = false;
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

        IsArmed = false;
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
}
