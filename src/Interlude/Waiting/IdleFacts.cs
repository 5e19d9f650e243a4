namespace Interlude.Waiting;

/// <summary>What an idle loop tells its wait strategy, all read on the loop's thread.</summary>
/// <param name="Now">When the loop found no work (Stopwatch ticks).</param>
/// <param name="IdleSince">When this idle streak began (Stopwatch ticks).</param>
/// <param name="OutstandingOffloads">Offloads submitted by the loop and not yet reaped.</param>
/// <param name="LastSubmitAt">When the loop last submitted an offload (Stopwatch ticks).</param>
/// <param name="Latency">How long the loop's offloads take, submit to the device's completion.</param>
internal readonly record struct IdleFacts(long Now, long IdleSince, int OutstandingOffloads, long LastSubmitAt, CompletionLatencyEstimator Latency);
