using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Interlude.Benchmarks.Latency;

/// <summary>
/// Completion-to-continuation latency of an offload, per wait strategy, all in one process run: a
/// <see cref="CpuAccelerator"/> with one worker pinned to one core and spinning when idle, a one-loop group
/// pinned to the other, one offload in flight at a time.
/// </summary>
internal static class LatencyHarness
{
    internal static int Run(string[] args)
    {
        LatencyOptions options;
        try
        {
            options = LatencyOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(LatencyOptions.Usage);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(LatencyOptions.Usage);
            return 0;
        }

        TextWriter output = Console.Out;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Interlude latency: completion (device timestamp just before it publishes) to continuation (timestamp right after the await resumes)"));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores (allowed: {string.Join(",", BenchmarkCores.Allowed)}), Stopwatch {Stopwatch.Frequency} Hz"));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  device: CpuAccelerator, 1 worker on core {options.DeviceCore}, IdleSpin infinite, {options.ServiceUs} us of work per offload; loop: 1-loop group on core {options.LoopCore}; one offload in flight"));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  per strategy: >= {options.Warmup} warm-up samples and >= {options.WarmupTime.TotalMilliseconds:0} ms discarded, then {options.Samples} measured; gap mode {options.GapMode.ToString().ToLowerInvariant()}"));
        output.WriteLine("  over the measured phase: CPU and voluntary/involuntary context switches from getrusage (proc = RUSAGE_SELF, which includes the spinning device thread; loop = RUSAGE_THREAD of the loop thread); loop sleeps = sleeps the wait strategy entered (a futex wait that may return at once); alloc = GC.GetTotalAllocatedBytes, process-wide");
        output.WriteLine();

        for (int round = 1; round <= options.Rounds; round++)
        {
            foreach (int gapUs in options.GapsUs)
            {
                var results = new List<LatencyResult>();
                if (options.Baseline)
                {
                    results.Add(HandoffBaseline.Measure(options, gapUs));
                }

                foreach (WaitStrategy strategy in options.Strategies)
                {
                    results.Add(Measure(strategy, gapUs, options));
                }

                string title = string.Create(
                    CultureInfo.InvariantCulture,
                    $"service {options.ServiceUs} us, gap {gapUs} us ({options.GapMode.ToString().ToLowerInvariant()}){(options.Rounds > 1 ? $", round {round}/{options.Rounds}" : string.Empty)}");
                LatencyReport.Print(output, title, results);
            }
        }

        return 0;
    }

    private static LatencyResult Measure(WaitStrategy strategy, int gapUs, LatencyOptions options)
    {
        using var device = new CpuAccelerator(new CpuAcceleratorOptions
        {
            Threads = 1,
            Cores = [options.DeviceCore],
            IdleSpin = Timeout.InfiniteTimeSpan,
        });
        using LoopGroup group = BenchmarkCores.SingleLoopGroup(strategy, options.LoopCore);
        var run = new LatencyRun(device, options, gapUs);
        group[0].RunAsync(run.ExecuteAsync).GetAwaiter().GetResult();
        return run.ToResult(strategy, gapUs);
    }
}
