using System.Diagnostics;
using System.Reflection;
using Interlude.Cli.Reporting;
using Interlude.Harness.Comparison;
using Interlude.Harness.Measurement;
using Interlude.Harness.Modes;
using Interlude.Harness.Reporting;
using Interlude.Harness.Workload;

namespace Interlude.Cli.Commands;

/// <summary>
/// Runs a comparison (<see cref="ComparisonRun"/>) with its progress on the console; then prints the table and
/// the ratios between modes, and writes the JSON and HTML files asked for.
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

        var run = new ComparisonRun(settings, placement);
        CpuWorkCalibration calibration = run.Calibrate();
        report.WriteCalibration(calibration);
        report.WriteLine();

        try
        {
            IReadOnlyList<RunResult> results = [];
            await report.WithProgressAsync(run.ConfigurationCount, async progress =>
            {
                results = await run.RunAsync(calibration, new ConsoleComparisonObserver(report, progress), cancellationToken).ConfigureAwait(false);
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
                HtmlReport.Write(html, results, HtmlReportContext.Describe(heading, settings, placement, calibration, CurrentCommandLine()));
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

    /// <summary>The arguments the command was started with; null inside another host (a test runner), whose arguments mean nothing here.</summary>
    private static string? CurrentCommandLine()
    {
        if (Assembly.GetEntryAssembly() != typeof(ComparisonRunner).Assembly)
        {
            return null;
        }

        return string.Join(' ', ["interlude", .. Environment.GetCommandLineArgs().Skip(1)]);
    }

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
