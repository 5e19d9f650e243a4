using Interlude.Harness.Measurement;

namespace Interlude.Harness.Wake;

/// <summary>One measured row of <c>interlude bench wake</c>.</summary>
/// <param name="Section">Which table: <c>ping</c>, <c>queues</c>, <c>adaptive</c> or <c>primitives</c>.</param>
/// <param name="Mode">The delivery mode or wake primitive, in lower-case kebab form.</param>
/// <param name="Placement"><c>cross-core</c> or <c>same-core</c>: where the waker runs relative to the waiter.</param>
/// <param name="GapUs">Idle time before each completion, in microseconds (0: back to back).</param>
/// <param name="Queues">Completion queues the waiting side serves (1 unless the row is from the queue sweep).</param>
/// <param name="Load">Offered load as a fraction of the waiting core (0 where the row is a ping).</param>
/// <param name="Latency">Completion (or signal) to continuation, in Stopwatch ticks.</param>
/// <param name="BusyFraction">CPU time of the waiting thread over the measured wall time, 0 to 1.</param>
public sealed record WakeMeasurement(
    string Section,
    string Mode,
    string Placement,
    int GapUs,
    int Queues,
    double Load,
    LatencyHistogram Latency,
    double BusyFraction);
