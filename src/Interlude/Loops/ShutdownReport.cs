namespace Interlude;

/// <summary>What <see cref="LoopGroup.StopAsync"/> did with the work in flight.</summary>
/// <param name="Drained">Whether every coroutine ended within the drain timeout, without cancellation.</param>
/// <param name="CancelledOffloads">Offloads failed with <see cref="OperationCanceledException"/> after the drain timeout.</param>
/// <param name="CancelledTimers">Delays failed with <see cref="OperationCanceledException"/> after the drain timeout.</param>
/// <param name="Abandoned">Coroutines still suspended when the loops exited (awaiting something outside Interlude).</param>
public sealed record ShutdownReport(bool Drained, int CancelledOffloads, int CancelledTimers, long Abandoned);
