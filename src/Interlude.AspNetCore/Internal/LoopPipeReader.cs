using System.IO.Pipelines;

namespace Interlude.AspNetCore.Internal;

/// <summary>
/// The application's side of a connection's input: a pipe reader whose reads always complete on the
/// connection's loop. Kestrel starts serving a connection on a ThreadPool thread, and a read that finds data
/// already there completes synchronously on that thread; this reader moves such a read (and makes a TryRead off
/// the loop report nothing, so the caller reads asynchronously) to the loop first, so the
/// application code that follows runs on the loop from the first request on. Reads made on the loop (all but
/// the first, normally) go straight to the pipe.
/// </summary>
internal sealed class LoopPipeReader : PipeReader
{
    private readonly PipeReader _inner;
    private readonly Loop _loop;
    private readonly LoopHopRead _hop;

    internal LoopPipeReader(PipeReader inner, LoopPipeScheduler scheduler)
    {
        _inner = inner;
        _loop = scheduler.Loop;
        _hop = new LoopHopRead(inner, scheduler);
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        => _loop.IsCurrent ? _inner.ReadAsync(cancellationToken) : _hop.Start(cancellationToken);

    /// <summary>Off the loop, reports nothing so that the caller goes through <see cref="ReadAsync"/> and the hop.</summary>
    public override bool TryRead(out ReadResult result)
    {
        if (_loop.IsCurrent)
        {
            return _inner.TryRead(out result);
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => _inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => _inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => _inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);
}
