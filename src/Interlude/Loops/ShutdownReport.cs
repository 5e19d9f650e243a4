namespace Interlude;

/// <summary>What <see cref="LoopGroup.StopAsync"/> did with the work in flight.</summary>
/// <param name="Drained">Whether every coroutine ended within the drain timeout, without cancellation.</param>
/// <param name="CancelledOffloads">Offloads (and socket waits) still pending after the drain, failed with <see cref="OperationCanceledException"/>.</param>
/// <param name="CancelledTimers">Delays still pending after the drain, failed with <see cref="OperationCanceledException"/>.</param>
/// <param name="Abandoned">
/// Coroutines still suspended when the stop ended (awaiting something outside Interlude, or on an unresponsive
/// loop); the tasks of those started with RunAsync completed with <see cref="OperationCanceledException"/>.
/// </param>
/// <param name="UnresponsiveLoops">
/// Loops that did not answer the cancel pass or did not exit within the stop's budget (blocked by user code); their
/// threads are left running, and the counts above leave out what they still hold.
/// </param>
public sealed record ShutdownReport(bool Drained, int CancelledOffloads, int CancelledTimers, long Abandoned, int UnresponsiveLoops);
