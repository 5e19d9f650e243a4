using System.Threading.Tasks.Sources;
using Interlude.Cuda.Completion;

namespace Interlude.Cuda.Device;

/// <summary>
/// One submission awaited on a loop: pooled by its queue, completed on the loop that submitted it (by the queue's
/// poller), so the awaiting coroutine resumes inline there.
/// </summary>
internal sealed class CudaOperation : IValueTaskSource, ICompletable
{
    private LoopValueTaskSourceCore<bool> _core;
    private CudaStreamQueue? _queue;

    /// <summary>Loop thread: fills it in for a new submission and hands out its awaitable.</summary>
    internal ValueTask Start(CudaStreamQueue queue)
    {
        _queue = queue;
        _core.CompletesOn = queue.Loop;
        return new ValueTask(this, _core.Version);
    }

    public void Complete() => _core.SetResult(true);

    public void Fail(Exception error) => _core.SetException(error);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token)
    {
        bool consumed = _core.IsCompleted && token == _core.Version;
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            if (consumed)
            {
                CudaStreamQueue? queue = _queue;
                _queue = null;
                _core.Reset();
                if (queue is not null && queue.Loop.IsCurrent)
                {
                    queue.Return(this);
                }
            }
        }
    }
}
