using Interlude.Harness.Modes;
using Interlude.Harness.Workload;

namespace Interlude.Harness.Comparison;

/// <summary>The validated options of <c>interlude demo</c> and <c>interlude bench offload</c>, and the timings they imply.</summary>
/// <param name="Modes">Execution modes to compare, by <see cref="ExecutionModes"/> name, in order.</param>
/// <param name="OffloadUs">The offload latencies L to sweep, in microseconds, in order.</param>
/// <param name="CpuUs">c asked for: CPU work per request, split evenly before and after the offload.</param>
/// <param name="Concurrency">N: requests in flight; null chooses max(64, 2(L+c)/c) for each L.</param>
/// <param name="StallThreshold">The loops' stall detector threshold (zero disables it); null keeps the library's default.</param>
/// <param name="HtmlFile">Where to write the HTML report; null writes none.</param>
/// <param name="RateRps">Open loop: Poisson arrivals at this many requests per second; null: closed loop.</param>
public sealed record ComparisonSettings(
    IReadOnlyList<string> Modes,
    IReadOnlyList<double> OffloadUs,
    double CpuUs,
    int? Concurrency,
    TimeSpan Duration,
    bool Quick,
    FileInfo? JsonFile,
    FileInfo? HtmlFile,
    TimeSpan? StallThreshold,
    double? RateRps = null)
{
    public const string ClosedLoad = "closed";
    public const string OpenLoad = "open";

    // The open loop's schedule is precomputed, 8 bytes an arrival: at this rate and the longest duration, ~500 MB.
    public const double MaxRateRps = 1_000_000;

    public const double DefaultCpuUs = 2;
    public const int DefaultConcurrency = 64;
    public const double DefaultDurationSeconds = 2;
    public const double QuickDurationSeconds = 0.5;

    public const double MaxOffloadUs = 1_000_000;
    public const double MaxCpuUs = 10_000;
    public const int MaxConcurrency = 10_000;
    public const double MinDurationSeconds = 0.1;
    public const double MaxDurationSeconds = 60;
    public const double MaxStallThresholdMs = 60_000;

    /// <summary>
    /// Dedicated-thread modes run one thread per request in flight; past this many, the sweep caps their N and
    /// says so rather than start thousands of threads on a small machine.
    /// </summary>
    public const int ThreadModeConcurrencyCap = 1024;

    public static readonly double[] SweepOffloadUs = [1, 10, 100, 1000];

    public TimeSpan WarmUp => TimeSpan.FromSeconds(Quick ? 0.2 : 0.5);

    /// <summary>
    /// Load run once before the first configuration and not reported: the first run in a process pays for the
    /// JIT's tiers and cold caches, which would otherwise count against whichever configuration comes first.
    /// </summary>
    public TimeSpan ProcessWarmUp => TimeSpan.FromSeconds(Quick ? 0.5 : 1);

    /// <summary>How long c is measured before each configuration.</summary>
    public TimeSpan CostProbe => TimeSpan.FromMilliseconds(Quick ? 20 : 50);

    /// <summary>How long each timing of the calibration lasts.</summary>
    public TimeSpan CalibrationSample => TimeSpan.FromMilliseconds(Quick ? 3 : 6);

    /// <summary>N for offload latency <paramref name="offloadUs"/>: as asked, or enough to keep the CPU busy.</summary>
    public int ConcurrencyFor(double offloadUs)
        => Concurrency ?? (int)Math.Min(MaxConcurrency, Math.Max(DefaultConcurrency, Math.Ceiling(2 * (offloadUs + CpuUs) / CpuUs)));

    /// <summary>N for one mode: dedicated-thread modes are capped at <see cref="ThreadModeConcurrencyCap"/>.</summary>
    public int ConcurrencyFor(double offloadUs, string mode)
    {
        int n = ConcurrencyFor(offloadUs);
        return ThreadPerRequestMode.IsThreadPerRequest(mode) ? Math.Min(n, ThreadModeConcurrencyCap) : n;
    }

    /// <summary>"closed" or "open".</summary>
    public string Load => RateRps is null ? ClosedLoad : OpenLoad;

    public WorkloadSettings ToWorkload(double offloadUs, int concurrency)
        => new(offloadUs, CpuUs, concurrency, WarmUp, Duration, CostProbe, RateRps);
}
