namespace Interlude.Harness.Tls;

/// <summary>Every mode's result under one configuration, the engine's capacity with its key, and the ratios.</summary>
/// <param name="Configuration">The certificate and TLS version.</param>
/// <param name="Capacity">The engine's standalone signing rate; null when it could not be measured.</param>
/// <param name="CapacityError">Why <paramref name="Capacity"/> is missing; null otherwise.</param>
/// <param name="Results">One per mode, in the order of the settings' modes.</param>
public sealed record TlsConfigurationResult(
    TlsConfiguration Configuration,
    EngineCapacityResult? Capacity,
    string? CapacityError,
    IReadOnlyList<TlsModeResult> Results)
{
    /// <summary>The configuration's four ratios.</summary>
    public IReadOnlyList<TlsRatio> Ratios => TlsRatio.Compute(Results, Capacity);
}
