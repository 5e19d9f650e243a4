using System.IO.Pipelines;

namespace Interlude.AspNetCore.Internal;

/// <summary>
/// Runs a pipe's continuations on one loop: queued on its run queue (no allocation, no ThreadPool hop), never
/// inline, so a flush never runs the other side's code on the flusher's stack.
/// </summary>
internal sealed class LoopPipeScheduler : PipeScheduler
{
    private readonly Loop _loop;

    internal LoopPipeScheduler(Loop loop) => _loop = loop;

    public override void Schedule(Action<object?> action, object? state) => _loop.Schedule(action, state);
}
