namespace Interlude;

/// <summary>
/// A source of completions that plugs into a loop: a device's completion rings, the loop's timers and, later,
/// its sockets. All three methods are called only on the owning loop's thread.
/// </summary>
/// <remarks>
/// The loop calls <see cref="Poll"/> every iteration. Before it sleeps it calls
/// <see cref="TryEnterInterruptMode"/> on every poller; if one refuses, those already armed are rolled back with
/// <see cref="ExitInterruptMode"/> and the loop keeps running. After a sleep, every poller's
/// <see cref="ExitInterruptMode"/> is called. A poller that arms must wake the loop (through the source it
/// armed) when new work arrives, like <c>ibv_req_notify_cq</c>.
/// </remarks>
public interface ILoopPoller
{
    /// <summary>Reaps what is ready and resumes its owners. Returns whether any work was done.</summary>
    bool Poll();

    /// <summary>Arms notification. Returns false, arming nothing, if work is already pending.</summary>
    bool TryEnterInterruptMode();

    /// <summary>Disarms notification after a sleep or a rolled-back attempt to sleep.</summary>
    void ExitInterruptMode();
}
