namespace Interlude.Loops;

/// <summary>
/// One of the parts every loop creates with itself and owns until it exits: its timers (<see cref="TimerQueue"/>),
/// its device completions (<see cref="CompletionHub"/>) and, on Linux, its sockets (<see cref="EpollPoller"/>).
/// The loop polls, arms and finally removes them like any poller, and asks each to fail its pending work at
/// shutdown. All members are called only on the owning loop's thread.
/// </summary>
internal interface ILoopDriver : ILoopPoller
{
    /// <summary>Fails every pending operation with cancellation (shutdown); returns how many.</summary>
    int CancelPending(CancellationToken token);
}
