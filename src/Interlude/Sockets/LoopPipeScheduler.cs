using System.IO.Pipelines;

namespace Interlude;

/// <summary>
/// A <see cref="PipeScheduler"/> that runs a pipe's callbacks on one loop: queued on the loop's run queue
/// (from another thread, its inbox), never inline, so a flush never runs the other side's code on the flusher's
/// stack, and nothing is allocated per callback. With both of a connection's pipes on its socket's loop, the
/// code reading and writing them runs there too.
/// </summary>
public sealed class LoopPipeScheduler : PipeScheduler
{
    private readonly Loop _loop;

    /// <summary>Creates a scheduler for <paramref name="loop"/>.</summary>
    public LoopPipeScheduler(Loop loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        _loop = loop;
    }

    /// <summary>The loop callbacks run on.</summary>
    public Loop Loop => _loop;

    /// <summary>Queues <paramref name="action"/> on the loop. Any thread.</summary>
    public override void Schedule(Action<object?> action, object? state)
    {
        ArgumentNullException.ThrowIfNull(action);
        _loop.Schedule(action, state);
    }
}
