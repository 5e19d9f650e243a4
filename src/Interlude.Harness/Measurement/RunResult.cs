using System.Diagnostics;
using Interlude.Harness.Workload;

namespace Interlude.Harness.Measurement;

/// <summary>What one configuration achieved over its measured period, and the figures derived from it.</summary>
public sealed class RunResult
{
    /// <summary>Machine-readable name, for example "interlude-poll".</summary>
    public required string Mode { get; init; }

    /// <summary>Human-readable name, for example "Interlude / Poll".</summary>
    public required string Title { get; init; }

    public required WorkloadSettings Workload { get; init; }

    /// <summary>c: the request's CPU work (pre + post) timed alone, in nanoseconds: the mean of the readings before and after the run.</summary>
    public required double CpuWorkNs { get; init; }

    public required double CpuWorkBeforeNs { get; init; }

    public required double CpuWorkAfterNs { get; init; }

    public required ThroughputBound Bound { get; init; }

    public required int ApplicationCores { get; init; }

    public required long Requests { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>Request latency (issue to completion) in Stopwatch ticks.</summary>
    public required LatencyHistogram Latency { get; init; }

    /// <summary>The whole process over the measured period.</summary>
    public required ResourceUsage ProcessUsage { get; init; }

    /// <summary>The process without the simulated device's thread, which spins whatever the application does.</summary>
    public required ResourceUsage ApplicationUsage { get; init; }

    /// <summary>The whole machine, every process, over the measured period.</summary>
    public required MachineUsage MachineUsage { get; init; }

    /// <summary>Loop sleeps and wakes over the measured period; null for a mode without loops.</summary>
    public required LoopActivity? Loops { get; init; }

    public required long AllocatedBytes { get; init; }

    public required int Gen0Collections { get; init; }

    public required int Stalls { get; init; }

    public double ThroughputRps => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;

    public double Efficiency => Bound.RequestsPerSecond > 0 ? ThroughputRps / Bound.RequestsPerSecond : 0;

    public double CpuWorkUs => CpuWorkNs / 1000;

    public double P50Us => QuantileUs(0.50);

    public double P99Us => QuantileUs(0.99);

    public double P999Us => QuantileUs(0.999);

    public double MaxUs => TicksToUs(Latency.Max);

    /// <summary>Application CPU microseconds per request; null without requests or without getrusage.</summary>
    public double? CpuUsPerRequest => UsagePerRequest(ApplicationUsage.CpuTime.TotalMicroseconds);

    public double? ProcessCpuUsPerRequest => UsagePerRequest(ProcessUsage.CpuTime.TotalMicroseconds);

    public double? CswPerRequest => UsagePerRequest(ApplicationUsage.ContextSwitches);

    public double? VoluntaryCswPerRequest => UsagePerRequest(ApplicationUsage.VoluntarySwitches);

    public double? InvoluntaryCswPerRequest => UsagePerRequest(ApplicationUsage.InvoluntarySwitches);

    public double? SleepsPerRequest => Loops is { } loops ? PerRequest(loops.Sleeps) : null;

    public double? WakesPerRequest => Loops is { } loops ? PerRequest(loops.NotifiedWakes) : null;

    /// <summary>Share of the measured period the loops spent running work (1: saturated); null without loops.</summary>
    public double? LoopBusyFraction
        => Loops is { } loops && Elapsed > TimeSpan.Zero && ApplicationCores > 0
            ? Math.Clamp(loops.BusyTime / (Elapsed * ApplicationCores), 0, 1)
            : null;

    public double? AllocatedBytesPerRequest => PerRequest(AllocatedBytes);

    /// <summary>
    /// Cores' worth of CPU that other processes used during the measured period (the machine's busy time less this
    /// process's); null where /proc/stat or getrusage is unavailable. Coarse: /proc/stat counts in 10 ms ticks.
    /// </summary>
    public double? OtherProcessesCores
        => MachineUsage.IsAvailable && ResourceUsage.IsAvailable && Elapsed > TimeSpan.Zero
            ? Math.Max(0, (MachineUsage.BusyTime - ProcessUsage.CpuTime).TotalSeconds / Elapsed.TotalSeconds)
            : null;

    /// <summary>Cores' worth of CPU the hypervisor took from this machine during the measured period.</summary>
    public double? StealCores
        => MachineUsage.IsAvailable && Elapsed > TimeSpan.Zero ? MachineUsage.StealTime.TotalSeconds / Elapsed.TotalSeconds : null;

    public double QuantileUs(double quantile) => TicksToUs(Latency.ValueAtQuantile(quantile));

    /// <summary>The latency distribution in microseconds: (value, share of requests at or below it), ascending.</summary>
    public IReadOnlyList<(double Us, double Fraction)> LatencyCdfUs()
        => Latency.CumulativeDistribution().Select(p => (TicksToUs(p.Value), p.Fraction)).ToArray();

    private double? PerRequest(double total) => Requests > 0 ? total / Requests : null;

    private double? UsagePerRequest(double total) => ResourceUsage.IsAvailable ? PerRequest(total) : null;

    private static double TicksToUs(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
