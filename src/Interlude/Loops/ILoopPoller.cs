namespace Interlude;

/// <summary>
/// A source of completions that plugs into a loop, the way a device that completes by being polled does (a GPU
/// writing a flag into mapped host memory, an RDMA completion queue, a hardware doorbell). A loop's own timers,
/// device channels and sockets are pollers of the same shape. Added with <see cref="Loop.AddPoller"/>; every
/// method is called only on the owning loop's thread.
/// </summary>
/// <remarks>
/// The loop calls <see cref="Poll"/> every iteration, before it runs queued work. Before it sleeps it calls
/// <see cref="TryEnterInterruptMode"/> on every poller; if one refuses, those already armed are rolled back with
/// <see cref="ExitInterruptMode"/> and the loop keeps running. After a sleep, every armed poller's
/// <see cref="ExitInterruptMode"/> is called.
///
/// The protocol that keeps a completion from being slept through, like <c>ibv_req_notify_cq</c>: to arm, the
/// poller sets a flag its producer can see with a full fence (<see cref="Interlocked.Exchange(ref int, int)"/>),
/// then looks for completions once more and refuses (clearing the flag) if there are any. The producer publishes
/// a completion, issues a full fence, then reads the flag; if it is set, it clears it and calls
/// <see cref="Loop.Wake"/>. One of the two always sees the other's write. A producer never needs a system call
/// while the loop is awake, because the flag is set only while it sleeps.
/// </remarks>
public interface ILoopPoller
{
    /// <summary>Reaps what is ready and resumes its owners (inline: this runs on the loop). Returns whether any work was done.</summary>
    bool Poll();

    /// <summary>Arms notification. Returns false, arming nothing, if work is already pending.</summary>
    bool TryEnterInterruptMode();

    /// <summary>Disarms notification after a sleep or a rolled-back attempt to sleep.</summary>
    void ExitInterruptMode();

    /// <summary>
    /// The loop will not poll this poller again: it was removed with <see cref="Loop.RemovePoller"/>, or the loop
    /// is exiting. Release what refers to the loop, and fail (or hand elsewhere) what still waits on it: nothing
    /// will resume it here. Does nothing unless implemented.
    /// </summary>
    void OnRemoved()
    {
    }
}
