using System.Diagnostics;
using System.Numerics;
using Interlude.Cli.Measurement;
using Interlude.Cli.Modes;
using Interlude.Cli.Reporting;
using Interlude.Cli.Workload;

namespace Interlude.Cli.Commands;

/// <summary>
/// Runs a comparison: calibrate the CPU work, then for each offload latency start the device and run the same
/// handler under each execution mode, one configuration at a time; then report the table, the ratios between
/// modes, and the JSON and HTML files asked for.
/// </summary>
internal static class ComparisonRunner
{
    private const int ExitCancelled = 130;

    internal static async Task<int> RunAsync(ComparisonSettings settings, string heading, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        ConsoleReport report = ConsoleReport.ForStandardOutput();
        CorePlacement placement = CorePlacement.For(CpuAffinity.AllowedCores());
        WriteIntroduction(report, settings, placement, heading);

        // Before the device exists: its thread spins, and the calibration should not share the machine with it.
        CpuWorkCalibration calibration = CpuWorkCalibrator.Calibrate(settings.CpuUs * 1000 / 2, settings.CalibrationSample);
        report.WriteCalibration(calibration);
        report.WriteLine();

        try
        {
            var results = new List<RunResult>();
            int total = settings.OffloadUs.Count * settings.Modes.Count;
            await report.WithProgressAsync(total, async progress =>
            {
                bool warmedUp = false;
                foreach (double offloadUs in settings.OffloadUs)
                {
                    int lanes = settings.Modes.Max(m => settings.ConcurrencyFor(offloadUs, m));
                    var handler = new OffloadRequestHandler(calibration.Work, calibration.Work, ServiceTime.Fixed(TimeSpan.FromMicroseconds(offloadUs)));
                    if (!warmedUp)
                    {
                        report.WriteLine($"Request: {handler.Description}.");
                        await WarmUpAsync(handler, settings, lanes, placement, cancellationToken).ConfigureAwait(false);
                        warmedUp = true;
                    }

                    foreach (string modeName in settings.Modes)
                    {
                        int concurrency = settings.ConcurrencyFor(offloadUs, modeName);
                        progress($"{modeName}, L = {offloadUs:G} us, N = {concurrency}");
                        if (concurrency < settings.ConcurrencyFor(offloadUs))
                        {
                            report.WriteWarning(
                                $"{modeName} runs one thread per request in flight: N capped at {concurrency} "
                                + $"instead of {settings.ConcurrencyFor(offloadUs)} for L = {offloadUs:G} us.");
                        }

                        // A device per mode, made right before its run: the thread-per-request modes need one that
                        // completes inline, and the ThreadPool mode the default, whose continuations go to the pool.
                        IExecutionMode mode = ExecutionModes.Create(modeName, placement, settings.StallThreshold);
                        using var device = new SimulatedAccelerator(DeviceOptions(offloadUs, lanes, placement, mode.NeedsInlineCompletions));
                        WorkloadSettings workload = settings.ToWorkload(offloadUs, concurrency);
                        LoadGenerator generator = workload.RateRps is null
                            ? new ClosedLoopLoadGenerator(handler, workload, device)
                            : new OpenLoopLoadGenerator(handler, workload, device);
                        results.Add(await RunOneAsync(report, generator, mode, cancellationToken).ConfigureAwait(false));
                    }
                }
            }).ConfigureAwait(false);

            report.WriteLine();
            report.WriteTable(results);
            report.WriteRatios(results);
            WriteNotes(report, placement);
            if (settings.JsonFile is { } json)
            {
                JsonReportWriter.Write(json, results, placement);
                report.WriteLine($"Wrote {results.Count} results to {json.FullName}.");
            }

            if (settings.HtmlFile is { } html)
            {
                HtmlReport.Write(html, results, HtmlContext(settings, placement, calibration, heading));
                report.WriteLine($"Wrote the report to {html.FullName}.");
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

    private static async Task<RunResult> RunOneAsync(ConsoleReport report, LoadGenerator generator, IExecutionMode mode, CancellationToken cancellationToken)
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
        IRequestHandler handler, ComparisonSettings settings, int lanes, CorePlacement placement, CancellationToken cancellationToken)
    {
        // Closed loop whatever the load asked for: this only has to run the code paths, as much as possible.
        WorkloadSettings warmUp = settings.ToWorkload(settings.OffloadUs[0], settings.ConcurrencyFor(settings.OffloadUs[0])) with
        {
            RateRps = null,
            WarmUp = settings.ProcessWarmUp,
            Duration = TimeSpan.FromMilliseconds(100),
            CostProbe = TimeSpan.FromMilliseconds(5),
        };
        IExecutionMode mode = ExecutionModes.Create(ExecutionModes.Interlude, placement, settings.StallThreshold);
        using var device = new SimulatedAccelerator(DeviceOptions(settings.OffloadUs[0], lanes, placement, mode.NeedsInlineCompletions));
        try
        {
            await new ClosedLoopLoadGenerator(handler, warmUp, device).RunAsync(mode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await mode.StopAsync().ConfigureAwait(false);
        }
    }

    private static SimulatedAcceleratorOptions DeviceOptions(double offloadUs, int concurrency, CorePlacement placement, bool inlineCompletions)
        => new()
        {
            ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(offloadUs)),
            Threads = 1,
            Cores = [placement.DeviceCore],

            // One lane per request in flight, and one for the usage probe, so the device never queues.
            Lanes = concurrency + 1,

            // Room for every request in flight, so no submission waits for ring space.
            RingCapacity = (int)Math.Max(1024, BitOperations.RoundUpToPowerOf2((uint)concurrency + 1)),

            // Spinning like hardware, unless it has to share the one core with the application.
            IdleSpin = placement.DeviceSharesCore ? TimeSpan.FromMilliseconds(1) : Timeout.InfiniteTimeSpan,

            // The thread-per-request modes: the device thread releases the waiting thread itself.
            UnsafeInlineCompletions = inlineCompletions,
        };

    private static HtmlReportContext HtmlContext(ComparisonSettings settings, CorePlacement placement, CpuWorkCalibration calibration, string heading)
        => HtmlReportContext.Describe(heading, settings, placement, calibration);

    private static void WriteIntroduction(ConsoleReport report, ComparisonSettings settings, CorePlacement placement, string heading)
    {
        report.WriteLine(heading);
        string application = placement.ApplicationCores.Count == 1
            ? $"core {placement.ApplicationCores[0]}"
            : $"cores {string.Join(',', placement.ApplicationCores)}";
        report.WriteLine(
            $"Cores: allowed {string.Join(',', placement.AllowedCores)}; simulated device thread on core {placement.DeviceCore} "
            + $"({(placement.DeviceSharesCore ? "sleeps when idle" : "spins, like hardware")}); every mode's application side on {application}.");
        if (placement.DeviceSharesCore)
        {
            report.WriteWarning("only one core is available: the device and the application share it, so the figures say little about either.");
        }

        string concurrency = settings.Concurrency is { } n
            ? $"N = {n} in flight"
            : $"N = max({ComparisonSettings.DefaultConcurrency}, 2(L+c)/c) in flight";
        string load = settings.RateRps is { } rate
            ? $"open loop: Poisson arrivals at {rate:G} req/s, {concurrency} at most"
            : $"{concurrency} (closed loop)";
        report.WriteLine(
            $"Workload: c = {settings.CpuUs:G} us of CPU work per request ({settings.CpuUs / 2:G} before and after the offload), "
            + $"L = {string.Join(", ", settings.OffloadUs.Select(l => l.ToString("G")))} us, {load}; "
            + $"modes: {string.Join(", ", settings.Modes)}.");
        report.WriteLine(
            $"Timing: {settings.ProcessWarmUp.TotalSeconds:G} s of unreported load first (JIT, caches); then per configuration "
            + $"{settings.WarmUp.TotalSeconds:G} s warm-up (not counted) + {settings.Duration.TotalSeconds:G} s measured; "
            + "c is re-measured on the application side right before and after each.");
    }

    private static void WriteNotes(ConsoleReport report, CorePlacement placement)
    {
        report.WriteLine("bound = sum over application cores of min(1/c, n/(L+c)), n = requests in flight per core; eff. = req/s / bound.");
        report.WriteLine(
            "CPU us/req and csw/req: getrusage over the measured period for the whole process minus the simulated device's thread "
            + $"(it spins on core {placement.DeviceCore} whatever the application does); sleeps/wakes: Interlude's loops' own counters.");
        report.WriteLine(
            "others: cores' worth of CPU used by other processes during the run (/proc/stat); above ~0.1 they competed for these "
            + "cores and the row understates the mode.");
    }
}
