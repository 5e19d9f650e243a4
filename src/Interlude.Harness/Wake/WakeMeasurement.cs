using System.Diagnostics;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Wake;

/// <summary>One measured row of <c>interlude bench wake</c>.</summary>
/// <param name="Section">Which table: <c>ping</c>, <c>queues</c>, <c>adaptive</c> or <c>primitives</c>.</param>
/// <param name="Mode">The delivery mode or wake primitive, in lower-case kebab form.</param>
/// <param name="Placement"><c>cross-core</c> or <c>same-core</c>: where the waker runs relative to the waiter.</param>
/// <param name="GapUs">Idle time before each completion, in microseconds (0: back to back).</param>
/// <param name="Queues">Completion queues the waiting side serves (1 unless the row is from the queue sweep).</param>
/// <param name="Load">Offered load as a fraction of the waiting core (0 where the row is a ping).</param>
/// <param name="Latency">Completion (or signal) to continuation, in Stopwatch ticks; one sample per operation.</param>
/// <param name="Cost">What the waiting side spent over the measured period.</param>
public sealed record WakeMeasurement(
    string Section,
    string Mode,
    string Placement,
    int GapUs,
    int Queues,
    double Load,
    LatencyHistogram Latency,
    WaitingCost Cost)
{
    /// <summary>CPU time of the waiting side over the measured wall time, 0 to 1.</summary>
    public double BusyFraction => Cost.BusyFraction;

    public double P50Us => Us(Latency.ValueAtQuantile(0.50));

    public double P99Us => Us(Latency.ValueAtQuantile(0.99));

    public double P999Us => Us(Latency.ValueAtQuantile(0.999));

    public double MaxUs => Us(Latency.Max);

    /// <summary>The waiting side's CPU per operation, microseconds; null where getrusage is unavailable.</summary>
    public double? CpuUsPerOp => ResourceUsage.IsAvailable ? PerOp(Cost.Usage.CpuTime.TotalMicroseconds) : null;

    /// <summary>The waiting side's context switches (voluntary and involuntary) per operation.</summary>
    public double? ContextSwitchesPerOp => ResourceUsage.IsAvailable ? PerOp(Cost.Usage.ContextSwitches) : null;

    /// <summary>Times the waiting loop went to sleep per operation; null where no loop waits.</summary>
    public double? LoopSleepsPerOp => Cost.LoopSleeps is { } sleeps ? PerOp(sleeps) : null;

    /// <summary>Managed bytes the process allocated per operation.</summary>
    public double? AllocatedBytesPerOp => PerOp(Cost.AllocatedBytes);

    public static double Us(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    private double? PerOp(double total) => Latency.Count > 0 ? total / Latency.Count : null;
}
