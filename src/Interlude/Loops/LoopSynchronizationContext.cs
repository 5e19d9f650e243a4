namespace Interlude.Loops;

/// <summary>
/// Installed on every loop thread so that awaits of ordinary tasks resume on the loop that awaited them.
/// </summary>
internal sealed class LoopSynchronizationContext : SynchronizationContext
{
    private readonly Loop _loop;

    internal LoopSynchronizationContext(Loop loop) => _loop = loop;

    internal Loop Loop => _loop;

    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        _loop.SchedulePost(d, state);
    }

    /// <summary>Runs inline on the loop's own thread; from any other thread, posts and blocks until done.</summary>
    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (_loop.IsCurrent)
        {
            d(state);
            return;
        }

        var call = new SendCall(d, state);
        _loop.Schedule(static s => ((SendCall)s!).Run(), call);
        call.Wait();
    }

    public override SynchronizationContext CreateCopy() => this;
}
