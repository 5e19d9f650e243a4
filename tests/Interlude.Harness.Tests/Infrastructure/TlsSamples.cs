using Interlude.Harness.Measurement;
using Interlude.Harness.Tls;

namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>Made-up rounds and results for <c>bench tls</c>'s computation, report and JSON tests.</summary>
internal static class TlsSamples
{
    public static readonly TlsConfiguration Rsa13 = new(TlsCertificates.Rsa2048, "1.3");

    public static H2loadResult H2load(double seconds, long succeeded, long failed = 0, double connectMeanUs = 1000)
        => new(seconds, succeeded / seconds, succeeded + failed, succeeded, failed, failed, 0, succeeded, connectMeanUs, connectMeanUs * 3, connectMeanUs * 2, "TLSv1.3", "TLS_AES_256_GCM_SHA384", "X25519 253 bits");

    /// <summary>A histogram holding <paramref name="values"/> (nanoseconds).</summary>
    public static LatencyHistogram Histogram(params long[] values)
    {
        var histogram = new LatencyHistogram();
        foreach (long value in values)
        {
            histogram.Record(value);
        }

        return histogram;
    }

    public static TlsRound Round(
        double seconds, long succeeded, long handshakes, double processMs, double engineMs, double clientMs, params long[] probeNs)
        => new(
            H2load(seconds, succeeded),
            seconds,
            handshakes,
            TimeSpan.FromMilliseconds(processMs),
            TimeSpan.FromMilliseconds(engineMs),
            TimeSpan.FromMilliseconds(clientMs),
            Histogram(probeNs),
            0,
            Histogram(1_000_000, 2_000_000),
            0);

    /// <summary>A result with the figures the ratios use, and nothing else.</summary>
    public static TlsModeResult Result(string mode, double handshakesPerSecond, double appCpuUs, double probeP99Us)
        => new()
        {
            Mode = mode,
            Configuration = Rsa13,
            Rounds = 1,
            HandshakesPerSecond = handshakesPerSecond,
            AppCpuUsPerHandshake = appCpuUs,
            ProbeP99Us = probeP99Us,
            ProbeLatencies = Histogram(100_000, 200_000, (long)(probeP99Us * 1000)),
        };

    public static TlsConfigurationResult Configuration(double capacity = 4000)
        => new(
            Rsa13,
            new EngineCapacityResult(capacity, (long)capacity, 1, 0.98, capacity * 1.05),
            null,
            [
                Result(TlsModes.KestrelSockets, 900, 1500, 20_000),
                Result(TlsModes.Software, 1000, 1000, 10_000),
                Result(TlsModes.OffloadSync, 1200, 300, 8_000),
                TlsModeResult.Failure(TlsModes.OffloadBusy, Rsa13, "InvalidOperationException: made up"),
                Result(TlsModes.OffloadAsync, 3600, 250, 1_000),
            ]);
}
