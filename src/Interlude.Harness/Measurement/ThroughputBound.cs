namespace Interlude.Harness.Measurement;

/// <summary>
/// The most requests per second the application cores can complete: per core min(1 / c, n / (L + c)), where c is
/// the CPU work per request, L the offload latency and n the requests in flight on that core; summed over cores
/// with the requests in flight spread evenly.
/// </summary>
/// <param name="RequestsPerSecond">The bound.</param>
/// <param name="CpuBound">True when 1 / c is the smaller term on every core: the cores, not the offloads, limit.</param>
public readonly record struct ThroughputBound(double RequestsPerSecond, bool CpuBound)
{
    public string LimitedBy => CpuBound ? "cpu" : "offload";

    public static ThroughputBound Compute(double cpuNs, double offloadNs, int concurrency, int cores)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cpuNs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cores);
        double total = 0;
        bool cpuBound = true;
        for (int core = 0; core < cores; core++)
        {
            int inFlight = (concurrency / cores) + (core < concurrency % cores ? 1 : 0);
            double cpuLimit = 1e9 / cpuNs;
            double offloadLimit = inFlight * 1e9 / (offloadNs + cpuNs);
            total += Math.Min(cpuLimit, offloadLimit);
            cpuBound &= cpuLimit <= offloadLimit;
        }

        return new ThroughputBound(total, cpuBound);
    }
}
