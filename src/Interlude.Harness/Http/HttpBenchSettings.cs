namespace Interlude.Harness.Http;

/// <summary>What <c>interlude bench http</c> runs: wrk's settings, and the Interlude loops' for the Interlude transport.</summary>
/// <param name="Threads">wrk threads.</param>
/// <param name="Connections">Open connections (wrk -c).</param>
/// <param name="Duration">Measured seconds per transport.</param>
/// <param name="Warmup">Warm-up seconds per transport, not measured.</param>
/// <param name="Loops">Interlude loops; null: one per core.</param>
/// <param name="Wait">The Interlude loops' wait strategy.</param>
/// <param name="Pin">Whether the Interlude loops are pinned to cores.</param>
public sealed record HttpBenchSettings(int Threads, int Connections, int Duration, int Warmup, int? Loops, WaitStrategy Wait, bool Pin);
