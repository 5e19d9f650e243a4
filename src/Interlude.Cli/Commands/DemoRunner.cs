using System.Diagnostics;
using System.Numerics;
using Interlude.Cli.Measurement;
using Interlude.Cli.Modes;
using Interlude.Cli.Reporting;
using Interlude.Cli.Workload;
using Interlude.Native;

namespace Interlude.Cli.Commands;

/// <summary>Runs the demo: calibrate, start the device, run each configuration, report.</summary>
internal static class DemoRunner
{
    private const int ExitCancelled = 130;

    private static readonly WaitStrategy[] s_strategies = [WaitStrategy.Poll, WaitStrategy.Block, WaitStrategy.Adaptive];

    internal static async Task<int> RunAsync(DemoSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        ConsoleReport report = ConsoleReport.ForStandardOutput();
        CorePlacement placement = CorePlacement.For(CpuAffinity.AllowedCores());
        WriteIntroduction(report, settings, placement);

        // Before the device exists: its thread spins, and the calibration should not share the machine with it.
        CpuWorkCalibration calibration = CpuWorkCalibrator.Calibrate(settings.CpuUs * 1000 / 2, settings.CalibrationSample);
        report.WriteCalibration(calibration);
        report.WriteLine();

        try
        {
            List<RunResult> results;
            using (var device = new SimulatedAccelerator(DeviceOptions(settings, placement)))
            {
                var handler = new OffloadRequestHandler(calibration.Work, calibration.Work, device);
                report.WriteLine($"Request: {handler.Description}.");
                await WarmUpAsync(handler, settings, device, placement, cancellationToken).ConfigureAwait(false);
                var generator = new ClosedLoopLoadGenerator(handler, settings.ToWorkload(), device);
                results = [];
                foreach (WaitStrategy strategy in s_strategies)
                {
                    results.Add(await RunOneAsync(report, generator, new InterludeMode(strategy, placement, settings.StallThreshold), cancellationToken).ConfigureAwait(false));
                }
            }

            report.WriteLine();
            report.WriteTable(results);
            WriteNotes(report, placement);
            if (settings.JsonFile is { } file)
            {
                JsonReportWriter.Write(file, results, placement);
                report.WriteLine($"Wrote {results.Count} results to {file.FullName}.");
            }

            report.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interlude: cancelled; no results written.").ConfigureAwait(false);
            return ExitCancelled;
        }
    }

    private static async Task<RunResult> RunOneAsync(ConsoleReport report, ClosedLoopLoadGenerator generator, IExecutionMode mode, CancellationToken cancellationToken)
    {
        RunResult result;
        try
        {
            result = await generator.RunAsync(mode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (await mode.StopAsync().ConfigureAwait(false) is { } problem)
            {
                report.WriteWarning(problem);
            }
        }

        report.WriteResult(result);
        return result;
    }

    private static async Task WarmUpAsync(
        IRequestHandler handler, DemoSettings settings, SimulatedAccelerator device, CorePlacement placement, CancellationToken cancellationToken)
    {
        WorkloadSettings warmUp = settings.ToWorkload() with
        {
            WarmUp = settings.ProcessWarmUp,
            Duration = TimeSpan.FromMilliseconds(100),
            CostProbe = TimeSpan.FromMilliseconds(5),
        };
        var mode = new InterludeMode(s_strategies[0], placement, settings.StallThreshold);
        try
        {
            await new ClosedLoopLoadGenerator(handler, warmUp, device).RunAsync(mode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await mode.StopAsync().ConfigureAwait(false);
        }
    }

    private static SimulatedAcceleratorOptions DeviceOptions(DemoSettings settings, CorePlacement placement)
        => new()
        {
            ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(settings.OffloadUs)),
            Threads = 1,
            Cores = [placement.DeviceCore],

            // One lane per request in flight, and one for the usage probe, so the device never queues.
            Lanes = settings.Concurrency + 1,

            // Room for every request in flight on one loop, so no submission waits for ring space.
            RingCapacity = (int)Math.Max(1024, BitOperations.RoundUpToPowerOf2((uint)settings.Concurrency + 1)),

            // Spinning like hardware, unless it has to share the one core with the loop.
            IdleSpin = placement.DeviceSharesCore ? TimeSpan.FromMilliseconds(1) : Timeout.InfiniteTimeSpan,
        };

    private static void WriteIntroduction(ConsoleReport report, DemoSettings settings, CorePlacement placement)
    {
        report.WriteLine("Interlude demo: one request handler on Interlude's per-core loops, under each wait strategy.");
        string loops = placement.ApplicationCores.Count == 1
            ? $"1 loop on core {placement.ApplicationCores[0]}"
            : $"{placement.ApplicationCores.Count} loops on cores {string.Join(',', placement.ApplicationCores)}";
        report.WriteLine(
            $"Cores: allowed {string.Join(',', placement.AllowedCores)}; simulated device thread on core {placement.DeviceCore} "
            + $"({(placement.DeviceSharesCore ? "sleeps when idle" : "spins, like hardware")}); application: {loops}.");
        if (placement.DeviceSharesCore)
        {
            report.WriteWarning("only one core is available: the device and the loop share it, so the figures say little about either.");
        }

        report.WriteLine(
            $"Workload: c = {settings.CpuUs:G} us of CPU work per request ({settings.CpuUs / 2:G} before and after the offload), "
            + $"L = {settings.OffloadUs:G} us offload, N = {settings.Concurrency} in flight (closed loop).");
        string stallDetector = settings.StallThreshold switch
        {
            null => "the runtime's default",
            { } t when t == TimeSpan.Zero => "off",
            { } t => $"{t.TotalMilliseconds:G} ms",
        };
        report.WriteLine($"Loops: runtime defaults except the wait strategy; stall detector: {stallDetector}.");
        report.WriteLine(
            $"Timing: {settings.ProcessWarmUp.TotalSeconds:G} s of unreported load first (JIT, caches); then per configuration "
            + $"{settings.WarmUp.TotalSeconds:G} s warm-up (not counted) + {settings.Duration.TotalSeconds:G} s measured; "
            + "c is re-measured on the loop right before and after each.");
    }

    private static void WriteNotes(ConsoleReport report, CorePlacement placement)
    {
        report.WriteLine("bound = sum over application cores of min(1/c, n/(L+c)), n = requests in flight per core; eff. = req/s / bound.");
        report.WriteLine(
            "CPU us/req and csw/req: getrusage over the measured period for the whole process minus the simulated device's thread "
            + $"(it spins on core {placement.DeviceCore} whatever the application does); sleeps/wakes: the loops' own counters.");
        report.WriteLine(
            "others: cores' worth of CPU used by other processes during the run (/proc/stat); above ~0.1 they competed for these "
            + "cores and the row understates the runtime.");
    }
}
