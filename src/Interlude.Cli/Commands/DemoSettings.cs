using Interlude.Cli.Workload;

namespace Interlude.Cli.Commands;

/// <summary>The validated options of <c>interlude demo</c> and the timings they imply.</summary>
/// <param name="StallThreshold">The loops' stall detector threshold (zero disables it); null keeps the library's default.</param>
internal sealed record DemoSettings(
    double OffloadUs,
    double CpuUs,
    int Concurrency,
    TimeSpan Duration,
    bool Quick,
    FileInfo? JsonFile,
    TimeSpan? StallThreshold)
{
    internal const double DefaultOffloadUs = 10;
    internal const double DefaultCpuUs = 2;
    internal const int DefaultConcurrency = 64;
    internal const double DefaultDurationSeconds = 2;
    internal const double QuickDurationSeconds = 1;

    internal const double MaxOffloadUs = 1_000_000;
    internal const double MaxCpuUs = 10_000;
    internal const int MaxConcurrency = 10_000;
    internal const double MinDurationSeconds = 0.1;
    internal const double MaxDurationSeconds = 60;
    internal const double MaxStallThresholdMs = 60_000;

    internal TimeSpan WarmUp => TimeSpan.FromSeconds(Quick ? 0.25 : 0.5);

    /// <summary>
    /// Load run once before the first configuration and not reported: the first run in a process pays for the
    /// JIT's tiers and cold caches, which would otherwise count against whichever configuration comes first.
    /// </summary>
    internal TimeSpan ProcessWarmUp => TimeSpan.FromSeconds(Quick ? 0.5 : 1);

    /// <summary>How long c is measured before each configuration.</summary>
    internal TimeSpan CostProbe => TimeSpan.FromMilliseconds(Quick ? 20 : 50);

    /// <summary>How long each timing of the calibration lasts.</summary>
    internal TimeSpan CalibrationSample => TimeSpan.FromMilliseconds(Quick ? 3 : 6);

    internal WorkloadSettings ToWorkload() => new(OffloadUs, CpuUs, Concurrency, WarmUp, Duration, CostProbe);
}
