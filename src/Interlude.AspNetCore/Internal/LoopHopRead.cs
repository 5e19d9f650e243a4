using System.IO.Pipelines;
using System.Threading.Tasks.Sources;

namespace Interlude.AspNetCore.Internal;

/// <summary>
/// A pipe read requested off the loop and performed on it. It stays pending until the caller has registered its
/// continuation, and only then posts the read to the loop; so the caller can never observe it completed on its
/// own thread, and its continuation always runs on the loop. One per connection, reused.
/// </summary>
/// <remarks>
/// Thread rules: <see cref="Start"/> and the awaiter's calls run on the caller's thread, the read and the
/// completion on the loop; the core's own protocol orders the two (one read at a time, as pipes require).
/// </remarks>
internal sealed class LoopHopRead : IValueTaskSource<ReadResult>
{
    private static readonly Action<object?> s_readOnLoop = static s => ((LoopHopRead)s!).ReadOnLoop();

    private readonly PipeReader _inner;
    private readonly LoopPipeScheduler _scheduler;
    private readonly Action _onInnerCompleted;
    private ManualResetValueTaskSourceCore<ReadResult> _core;
    private CancellationToken _cancellationToken;
    private ValueTask<ReadResult> _innerRead;

    internal LoopHopRead(PipeReader inner, LoopPipeScheduler scheduler)
    {
        _inner = inner;
        _scheduler = scheduler;
        _onInnerCompleted = OnInnerCompleted;
    }

    internal ValueTask<ReadResult> Start(CancellationToken cancellationToken)
    {
        _core.Reset();
        _cancellationToken = cancellationToken;
        return new ValueTask<ReadResult>(this, _core.Version);
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        _core.OnCompleted(continuation, state, token, flags);
        _scheduler.Schedule(s_readOnLoop, this);
    }

    public ReadResult GetResult(short token) => _core.GetResult(token);

    private void ReadOnLoop()
    {
        try
        {
            _innerRead = _inner.ReadAsync(_cancellationToken);
            if (_innerRead.IsCompleted)
            {
                OnInnerCompleted();
            }
            else
            {
                _innerRead.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onInnerCompleted);
            }
        }
        catch (Exception ex)
        {
            _core.SetException(ex);
        }
    }

    private void OnInnerCompleted()
    {
        ValueTask<ReadResult> read = _innerRead;
        _innerRead = default;
        try
        {
            _core.SetResult(read.GetAwaiter().GetResult());
        }
        catch (Exception ex)
        {
            _core.SetException(ex);
        }
    }
}
