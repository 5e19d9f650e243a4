namespace Interlude.Crypto;

/// <summary>Configuration of a <see cref="CryptoEngine"/>: its threads (one per dedicated core), where they run, and the seam's bounds.</summary>
public sealed class CryptoEngineOptions : AcceleratorOptions
{
}
