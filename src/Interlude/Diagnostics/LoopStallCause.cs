namespace Interlude;

/// <summary>What a stalled loop's thread was doing, from the kernel's scheduling counters over the stall.</summary>
public enum LoopStallCause
{
    /// <summary>The counters could not be read (not Linux): the stall is real, its cause unknown.</summary>
    Unknown,

    /// <summary>
    /// The thread ran on a CPU most of the time: code on the loop (a handler's long computation, a spin) kept it
    /// from returning to the loop. Move the work to a device, or split it with <c>Loop.Yield()</c>.
    /// </summary>
    Busy,

    /// <summary>
    /// The thread slept in the kernel most of the time: a blocking call on the loop thread (a lock, synchronous
    /// I/O, <c>Thread.Sleep</c>, or a blocking wait such as <c>.Result</c> on work that needs this very loop, which
    /// never ends). <see cref="LoopStallEventArgs.QueuedWork"/> above zero with this cause points to the last.
    /// </summary>
    Blocked,

    /// <summary>
    /// The thread was ready to run but waited for a CPU most of the time: the machine, not the application, held
    /// the loop up (more runnable threads than cores). Not a fault of code on the loop.
    /// </summary>
    Descheduled,
}
