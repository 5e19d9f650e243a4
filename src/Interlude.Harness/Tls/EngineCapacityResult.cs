namespace Interlude.Harness.Tls;

/// <summary>The engine's standalone signing rate with one configuration's key.</summary>
/// <param name="SignaturesPerSecond">Signatures through the engine per second, <see cref="EngineCapacity.InFlight"/> in flight; NaN when the engine failed.</param>
/// <param name="Signatures">Signatures completed in the measured period.</param>
/// <param name="Seconds">The measured period.</param>
/// <param name="EngineBusy">The engine threads' CPU time over the period (1 = one core busy throughout).</param>
/// <param name="BclSignaturesPerSecond">The BCL signing in a tight loop on one thread pinned to the engine's core.</param>
public sealed record EngineCapacityResult(double SignaturesPerSecond, long Signatures, double Seconds, double EngineBusy, double BclSignaturesPerSecond)
{
    /// <summary>
    /// The BCL's signing thread's CPU time over the wall time: below 1, something else shared the core and the BCL's
    /// rate understates it. NaN without getrusage.
    /// </summary>
    public double BclBusy { get; init; } = double.NaN;

    /// <summary>Why the engine's figures are missing; null when it was measured.</summary>
    public string? EngineError { get; init; }
}
