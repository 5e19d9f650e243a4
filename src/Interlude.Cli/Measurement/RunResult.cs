using System.Diagnostics;
using Interlude.Cli.Workload;

namespace Interlude.Cli.Measurement;

/// <summary>What one configuration achieved over its measured period, and the figures derived from it.</summary>
internal sealed class RunResult
{
    /// <summary>Machine-readable name, for example "interlude-poll".</summary>
    internal required string Mode { get; init; }

    /// <summary>Human-readable name, for example "Interlude / Poll".</summary>
    internal required string Title { get; init; }

    internal required WorkloadSettings Workload { get; init; }

    /// <summary>c: the request's CPU work (pre + post) timed alone, in nanoseconds: the mean of the readings before and after the run.</summary>
    internal required double CpuWorkNs { get; init; }

    internal required double CpuWorkBeforeNs { get; init; }

    internal required double CpuWorkAfterNs { get; init; }

    internal required ThroughputBound Bound { get; init; }

    internal required int ApplicationCores { get; init; }

    internal required long Requests { get; init; }

    internal required TimeSpan Elapsed { get; init; }

    /// <summary>Request latency (issue to completion) in Stopwatch ticks.</summary>
    internal required LatencyHistogram Latency { get; init; }

    /// <summary>The whole process over the measured period.</summary>
    internal required ResourceUsage ProcessUsage { get; init; }

    /// <summary>The process without the simulated device's thread, which spins whatever the application does.</summary>
    internal required ResourceUsage ApplicationUsage { get; init; }

    /// <summary>The whole machine, every process, over the measured period.</summary>
    internal required MachineUsage MachineUsage { get; init; }

    /// <summary>Loop sleeps and wakes over the measured period; null for a mode without loops.</summary>
    internal required LoopActivity? Loops { get; init; }

    internal required long AllocatedBytes { get; init; }

    internal required int Gen0Collections { get; init; }

    internal required int Stalls { get; init; }

    internal double ThroughputRps => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;

    internal double Efficiency => Bound.RequestsPerSecond > 0 ? ThroughputRps / Bound.RequestsPerSecond : 0;

    internal double CpuWorkUs => CpuWorkNs / 1000;

    internal double P50Us => QuantileUs(0.50);

    internal double P99Us => QuantileUs(0.99);

    internal double P999Us => QuantileUs(0.999);

    internal double MaxUs => TicksToUs(Latency.Max);

    /// <summary>Application CPU microseconds per request; null without requests or without getrusage.</summary>
    internal double? CpuUsPerRequest => UsagePerRequest(ApplicationUsage.CpuTime.TotalMicroseconds);

    internal double? ProcessCpuUsPerRequest => UsagePerRequest(ProcessUsage.CpuTime.TotalMicroseconds);

    internal double? CswPerRequest => UsagePerRequest(ApplicationUsage.ContextSwitches);

    internal double? VoluntaryCswPerRequest => UsagePerRequest(ApplicationUsage.VoluntarySwitches);

    internal double? InvoluntaryCswPerRequest => UsagePerRequest(ApplicationUsage.InvoluntarySwitches);

    internal double? SleepsPerRequest => Loops is { } loops ? PerRequest(loops.Sleeps) : null;

    internal double? WakesPerRequest => Loops is { } loops ? PerRequest(loops.NotifiedWakes) : null;

    /// <summary>Share of the measured period the loops spent running work (1: saturated); null without loops.</summary>
    internal double? LoopBusyFraction
        => Loops is { } loops && Elapsed > TimeSpan.Zero && ApplicationCores > 0
            ? Math.Clamp(loops.BusyTime / (Elapsed * ApplicationCores), 0, 1)
            : null;

    internal double? AllocatedBytesPerRequest => PerRequest(AllocatedBytes);

    /// <summary>
    /// Cores' worth of CPU that other processes used during the measured period (the machine's busy time less this
    /// process's); null where /proc/stat or getrusage is unavailable. Coarse: /proc/stat counts in 10 ms ticks.
    /// </summary>
    internal double? OtherProcessesCores
        => MachineUsage.IsAvailable && ResourceUsage.IsAvailable && Elapsed > TimeSpan.Zero
            ? Math.Max(0, (MachineUsage.BusyTime - ProcessUsage.CpuTime).TotalSeconds / Elapsed.TotalSeconds)
            : null;

    /// <summary>Cores' worth of CPU the hypervisor took from this machine during the measured period.</summary>
    internal double? StealCores
        => MachineUsage.IsAvailable && Elapsed > TimeSpan.Zero ? MachineUsage.StealTime.TotalSeconds / Elapsed.TotalSeconds : null;

    internal double QuantileUs(double quantile) => TicksToUs(Latency.ValueAtQuantile(quantile));

    /// <summary>The latency distribution in microseconds: (value, share of requests at or below it), ascending.</summary>
    internal IReadOnlyList<(double Us, double Fraction)> LatencyCdfUs()
        => Latency.CumulativeDistribution().Select(p => (TicksToUs(p.Value), p.Fraction)).ToArray();

    private double? PerRequest(double total) => Requests > 0 ? total / Requests : null;

    private double? UsagePerRequest(double total) => ResourceUsage.IsAvailable ? PerRequest(total) : null;

    private static double TicksToUs(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
