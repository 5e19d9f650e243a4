namespace Interlude.Harness.Tls;

/// <summary>One of the comparisons <c>interlude bench tls</c> prints, with the target it is held to.</summary>
/// <param name="Name">A short key, for example "async_to_capacity".</param>
/// <param name="Description">What is divided by what.</param>
/// <param name="Value">The measured ratio; NaN when either side is missing.</param>
/// <param name="Target">The target.</param>
/// <param name="AtLeast">True: the target is a floor (value ≥ target); false: a ceiling (value ≤ target).</param>
public sealed record TlsRatio(string Name, string Description, double Value, double Target, bool AtLeast)
{
    /// <summary>Whether the value meets the target; null when there is no value.</summary>
    public bool? Met => double.IsFinite(Value) ? (AtLeast ? Value >= Target : Value <= Target) : null;

    /// <summary>The four ratios of one configuration, from its modes' results and the engine's capacity.</summary>
    public static IReadOnlyList<TlsRatio> Compute(IReadOnlyList<TlsModeResult> results, EngineCapacityResult? capacity)
    {
        ArgumentNullException.ThrowIfNull(results);
        TlsModeResult? async = Find(results, TlsModes.OffloadAsync);
        TlsModeResult? sync = Find(results, TlsModes.OffloadSync);
        TlsModeResult? software = Find(results, TlsModes.Software);
        return
        [
            new("async_to_capacity", "offload-async handshakes/s ÷ engine signatures/s", Divide(async?.HandshakesPerSecond, capacity?.SignaturesPerSecond), 0.85, AtLeast: true),
            new("async_to_sync", "offload-async handshakes/s ÷ offload-sync handshakes/s", Divide(async?.HandshakesPerSecond, sync?.HandshakesPerSecond), 2, AtLeast: true),
            new("async_to_software_cpu", "app-core CPU per handshake, offload-async ÷ software", Divide(async?.AppCpuUsPerHandshake, software?.AppCpuUsPerHandshake), 0.5, AtLeast: false),
            new("async_to_software_probe_p99", "keep-alive p99 during the storm, offload-async ÷ software", Divide(async?.ProbeP99Us, software?.ProbeP99Us), 0.2, AtLeast: false),
        ];
    }

    private static TlsModeResult? Find(IReadOnlyList<TlsModeResult> results, string mode)
        => results.FirstOrDefault(r => r.Mode == mode && r.Error is null);

    private static double Divide(double? numerator, double? denominator)
        => numerator is { } n && denominator is { } d && double.IsFinite(n) && double.IsFinite(d) && d > 0 ? n / d : double.NaN;
}
