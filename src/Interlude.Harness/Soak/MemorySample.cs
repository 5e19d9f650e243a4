namespace Interlude.Harness.Soak;

/// <summary>One reading during a soak run.</summary>
/// <param name="At">Time since the run started.</param>
/// <param name="HeapBytes">The managed heap's size after the last collection.</param>
/// <param name="ResidentBytes">The process's resident set (0 where /proc is missing).</param>
/// <param name="Queued">Submissions waiting for ring space, over all loops.</param>
/// <param name="InFlight">Requests started and not yet ended.</param>
public readonly record struct MemorySample(TimeSpan At, long HeapBytes, long ResidentBytes, long Queued, long InFlight);
