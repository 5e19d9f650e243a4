using System.Diagnostics;
using Interlude.Harness.Measurement;
using Interlude.Harness.Modes;
using Interlude.Harness.Workload;

namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>Measured results made up for report tests, with figures whose derived values are easy to state.</summary>
internal static class SampleResults
{
    /// <summary>Two allowed cores: the loop on core 0, the device on core 1.</summary>
    public static readonly CorePlacement TwoCores = CorePlacement.For([0, 1]);

    /// <summary>
    /// c = 2 us, L = 10 us, N = 64 on one core: bound 500,000 req/s (CPU-bound). 900,000 requests in 2 s: 450,000
    /// req/s, efficiency 0.9. Latencies (us) 12 x 500, 25 x 490, 400 x 9, 3,000 x 1. Application CPU 1.8 s (2 us/req),
    /// process CPU 2.7 s (3 us/req), 450 voluntary and 90 involuntary switches (0.0006/req), 9,000 loop sleeps and
    /// 4,500 wakes (0.01 and 0.005/req), loops busy 1.9 s (95%), machine busy 5 s with 0.2 s stolen (1.15 other
    /// cores, 0.1 stolen), 18 MB allocated (20 B/req).
    /// </summary>
    public static RunResult Typical(string mode = "interlude-poll", string title = "Interlude / Poll", double offloadUs = 10)
    {
        return Build(
            mode,
            title,
            offloadUs,
            requests: 900_000,
            latenciesUs: [.. Enumerable.Repeat(12L, 500), .. Enumerable.Repeat(25L, 490), .. Enumerable.Repeat(400L, 9), 3_000],
            loops: new LoopActivity(9_000, 4_500, TimeSpan.FromSeconds(1.9)),
            machine: new MachineUsage(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(0.2)),
            allocatedBytes: 18_000_000,
            application: new ResourceUsage(TimeSpan.FromSeconds(1.8), 450, 90),
            process: new ResourceUsage(TimeSpan.FromSeconds(2.7), 500, 120));
    }

    /// <summary>A run that completed nothing, without loops and without machine figures.</summary>
    public static RunResult Empty()
        => Build("blocking", "Blocking", 1_000, requests: 0, latenciesUs: [], loops: null, machine: default, allocatedBytes: 0);

    private static RunResult Build(
        string mode,
        string title,
        double offloadUs,
        long requests,
        long[] latenciesUs,
        LoopActivity? loops,
        MachineUsage machine,
        long allocatedBytes,
        ResourceUsage application = default,
        ResourceUsage process = default)
    {
        var histogram = new LatencyHistogram();
        foreach (long us in latenciesUs)
        {
            histogram.Record(us * Stopwatch.Frequency / 1_000_000);
        }

        return new RunResult
        {
            Mode = mode,
            Title = title,
            Workload = new WorkloadSettings(offloadUs, 2, 64, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50)),
            CpuWorkNs = 2000,
            CpuWorkBeforeNs = 1990,
            CpuWorkAfterNs = 2010,
            Bound = ThroughputBound.Compute(2000, offloadUs * 1000, 64, 1),
            ApplicationCores = 1,
            Requests = requests,
            Elapsed = TimeSpan.FromSeconds(2),
            Latency = histogram,
            ProcessUsage = process,
            ApplicationUsage = application,
            MachineUsage = machine,
            Loops = loops,
            AllocatedBytes = allocatedBytes,
            Gen0Collections = 3,
            Stalls = 1,
        };
    }
}
