using Interlude.Harness.Measurement;

namespace Interlude.Harness.Tls;

/// <summary>One mode under one configuration, its rounds combined.</summary>
public sealed class TlsModeResult
{
    public required string Mode { get; init; }

    public required TlsConfiguration Configuration { get; init; }

    /// <summary>Why the mode has no figures (it failed to start or to run); null when it ran.</summary>
    public string? Error { get; init; }

    public int Rounds { get; init; }

    /// <summary>h2load requests asked for, over the rounds: one per connection, so one full handshake each.</summary>
    public long Requests { get; init; }

    public long Succeeded { get; init; }

    public long Failed { get; init; }

    /// <summary>h2load's succeeded requests over its run times: full handshakes per second.</summary>
    public double HandshakesPerSecond { get; init; } = double.NaN;

    /// <summary>Handshakes the server completed in the measured intervals, the sampler's included.</summary>
    public long ServerHandshakes { get; init; }

    public double WallSeconds { get; init; }

    /// <summary>
    /// The application's CPU time per handshake: the process less the engine's threads and the in-process
    /// clients' threads, over the server's handshakes. NaN without /proc or handshakes.
    /// </summary>
    public double AppCpuUsPerHandshake { get; init; } = double.NaN;

    /// <summary>The engine threads' CPU time over the wall time (1 = one core busy); null without an engine.</summary>
    public double? EngineUtilization { get; init; }

    /// <summary>
    /// h2load's CPU time over the wall time (1 = one core busy; with <c>-t 1</c> it has one thread, so near 1 it
    /// limits the rate); null where it could not be read.
    /// </summary>
    public double? LoadGeneratorUtilization { get; init; }

    public double HandshakeP50Us { get; init; } = double.NaN;

    public double HandshakeP99Us { get; init; } = double.NaN;

    public long HandshakeSamples { get; init; }

    /// <summary>h2load's mean "time for connect" (TCP and TLS), averaged over the rounds.</summary>
    public double ConnectMeanUs { get; init; } = double.NaN;

    public double ProbeP50Us { get; init; } = double.NaN;

    public double ProbeP99Us { get; init; } = double.NaN;

    public double ProbeMaxUs { get; init; } = double.NaN;

    public long ProbeRequests { get; init; }

    public long ProbeErrors { get; init; }

    public string TlsProtocol { get; init; } = string.Empty;

    public string Cipher { get; init; } = string.Empty;

    /// <summary>The probe's latencies (ns) over every round, for the CDF.</summary>
    public LatencyHistogram ProbeLatencies { get; init; } = new();

    /// <summary>A mode that could not be measured.</summary>
    public static TlsModeResult Failure(string mode, TlsConfiguration configuration, string error)
        => new() { Mode = mode, Configuration = configuration, Error = error };

    /// <summary>Combines <paramref name="rounds"/>: sums of counts and times, merged histograms.</summary>
    public static TlsModeResult From(string mode, TlsConfiguration configuration, IReadOnlyList<TlsRound> rounds, bool hasEngine)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        if (rounds.Count == 0)
        {
            return Failure(mode, configuration, "no rounds ran");
        }

        var probe = new LatencyHistogram();
        var handshakes = new LatencyHistogram();
        foreach (TlsRound round in rounds)
        {
            probe.Add(round.Probe);
            handshakes.Add(round.HandshakeLatencies);
        }

        double wall = rounds.Sum(r => r.WallSeconds);
        double h2loadSeconds = rounds.Sum(r => r.H2load.FinishedSeconds);
        long succeeded = rounds.Sum(r => r.H2load.Succeeded);
        long serverHandshakes = rounds.Sum(r => r.Handshakes);
        double appCpuSeconds = rounds.Sum(r => (r.ProcessCpu - r.EngineCpu - r.ClientCpu).TotalSeconds);
        bool measuredCpu = ResourceUsage.IsAvailable && serverHandshakes > 0;
        return new TlsModeResult
        {
            Mode = mode,
            Configuration = configuration,
            Rounds = rounds.Count,
            Requests = rounds.Sum(r => r.H2load.Requests),
            Succeeded = succeeded,
            Failed = rounds.Sum(r => r.H2load.Failed),
            HandshakesPerSecond = h2loadSeconds > 0 ? succeeded / h2loadSeconds : double.NaN,
            ServerHandshakes = serverHandshakes,
            WallSeconds = wall,
            AppCpuUsPerHandshake = measuredCpu ? appCpuSeconds * 1e6 / serverHandshakes : double.NaN,
            EngineUtilization = hasEngine && wall > 0 ? rounds.Sum(r => r.EngineCpu.TotalSeconds) / wall : null,
            LoadGeneratorUtilization = wall > 0 && rounds.All(r => r.LoadGeneratorCpu is not null)
                ? rounds.Sum(r => r.LoadGeneratorCpu!.Value.TotalSeconds) / wall
                : null,
            HandshakeP50Us = Microseconds(handshakes, 0.50),
            HandshakeP99Us = Microseconds(handshakes, 0.99),
            HandshakeSamples = handshakes.Count,
            ConnectMeanUs = rounds.Average(r => r.H2load.ConnectMeanUs),
            ProbeP50Us = Microseconds(probe, 0.50),
            ProbeP99Us = Microseconds(probe, 0.99),
            ProbeMaxUs = probe.Count == 0 ? double.NaN : probe.Max / 1000.0,
            ProbeRequests = probe.Count,
            ProbeErrors = rounds.Sum(r => r.ProbeErrors),
            TlsProtocol = rounds[^1].H2load.TlsProtocol,
            Cipher = rounds[^1].H2load.Cipher,
            ProbeLatencies = probe,
        };
    }

    private static double Microseconds(LatencyHistogram histogram, double quantile)
        => histogram.Count == 0 ? double.NaN : histogram.ValueAtQuantile(quantile) / 1000.0;
}
