namespace Interlude.Harness.Workload;

/// <summary>The request mix and the timing of one measured run.</summary>
/// <param name="OffloadUs">L: the accelerator's service time per request, in microseconds.</param>
/// <param name="CpuUs">Target CPU work per request (pre + post, split evenly), in microseconds.</param>
/// <param name="Concurrency">N: requests in flight (closed loop: one worker per request, issuing back to back).</param>
/// <param name="WarmUp">Load before measuring, not counted.</param>
/// <param name="Duration">The measured period.</param>
/// <param name="CostProbe">Time spent measuring c before each run.</param>
/// <param name="RateRps">Open loop: the Poisson arrival rate, requests per second (N then caps those in service); null: closed loop.</param>
public sealed record WorkloadSettings(
    double OffloadUs,
    double CpuUs,
    int Concurrency,
    TimeSpan WarmUp,
    TimeSpan Duration,
    TimeSpan CostProbe,
    double? RateRps = null);
