namespace Interlude.Crypto;

/// <summary>Configuration of a <see cref="CryptoEngine"/>: its threads (one per dedicated core), where they run, and the seam's bounds.</summary>
/// <remarks>
/// Each engine thread computes one operation at a time, so <see cref="AcceleratorOptions.Threads"/> is the
/// engine's parallelism; give as many <see cref="AcceleratorOptions.Cores"/> (thread i is pinned to core i modulo
/// their count, so fewer cores than threads makes threads share them).
/// </remarks>
public sealed class CryptoEngineOptions : AcceleratorOptions
{
}
