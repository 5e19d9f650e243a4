namespace Interlude.Loops;

/// <summary>A TaskScheduler that runs every task on one loop; tasks queued from the loop itself run inline when asked.</summary>
internal sealed class LoopTaskScheduler : TaskScheduler
{
    private static readonly Action<object?> s_execute = static state =>
    {
        var (scheduler, task) = ((LoopTaskScheduler, Task))state!;
        scheduler.TryExecuteTask(task);
    };

    private readonly Loop _loop;

    internal LoopTaskScheduler(Loop loop) => _loop = loop;

    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task) => _loop.Schedule(s_execute, (this, task));

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
        => !taskWasPreviouslyQueued && _loop.IsCurrent && TryExecuteTask(task);

    protected override IEnumerable<Task>? GetScheduledTasks() => null;
}
