namespace Interlude.Cuda.Bench;

/// <summary>
/// One row of <c>interlude bench gpu</c>. Latency is submission to continuation (the awaiting code running again),
/// one null kernel at a time in the latency section, per operation in the throughput section.
/// </summary>
/// <param name="Section">"latency" or "throughput".</param>
/// <param name="Mode">The completion detection or execution mode (interlude-mapped-flag, cuda-spin, blocking, ...).</param>
/// <param name="KernelUs">The kernel's length in microseconds (0: the null kernel).</param>
/// <param name="InFlight">Operations in flight.</param>
/// <param name="Samples">Operations measured.</param>
/// <param name="CpuUsPerOp">The process's CPU time per operation (user + system).</param>
/// <param name="IdleCpu">The process's CPU over wall time while the mode sat idle with nothing in flight, in cores.</param>
internal sealed record GpuBenchRow(
    string Section,
    string Mode,
    double KernelUs,
    int InFlight,
    long Samples,
    double P50Us,
    double P99Us,
    double OpsPerSecond,
    double CpuUsPerOp,
    double IdleCpu);
