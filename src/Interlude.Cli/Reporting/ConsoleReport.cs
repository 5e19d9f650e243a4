using Interlude.Harness.Measurement;
using Interlude.Harness.Workload;
using Spectre.Console;

namespace Interlude.Cli.Reporting;

/// <summary>
/// The console side of a report: plain lines as each configuration finishes (they survive redirection and
/// grep), then a table of all of them.
/// </summary>
internal sealed class ConsoleReport
{
    // Redirected output has no terminal width; Spectre would assume 80 columns and fold the table.
    private const int RedirectedWidth = 220;

    private readonly IAnsiConsole _console;

    // While a live progress display runs, lines must go through the console (above the display), not around it.
    private bool _live;

    internal ConsoleReport(IAnsiConsole console) => _console = console;

    internal static ConsoleReport ForStandardOutput()
    {
        bool redirected = Console.IsOutputRedirected;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),

            // A file or a pipe gets plain text, not escape sequences.
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return new ConsoleReport(console);
    }

    /// <summary>
    /// Writes the text as it is: not folded at the console's width, so each line stays one line (during a live
    /// progress display it goes above the display, folded).
    /// </summary>
    internal void WriteLine(string text)
    {
        if (_live)
        {
            _console.WriteLine(text);
        }
        else
        {
            _console.Profile.Out.Writer.WriteLine(text);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> with a progress callback, one call per configuration as it starts: a live
    /// progress bar on an interactive terminal, a plain "[k/n]" line otherwise.
    /// </summary>
    internal async Task WithProgressAsync(int total, Func<Action<string>, Task> body)
    {
        if (!_console.Profile.Capabilities.Interactive)
        {
            int started = 0;
            await body(description => WriteLine($"[{++started}/{total}] {description}")).ConfigureAwait(false);
            return;
        }

        _live = true;
        try
        {
            await _console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    ProgressTask task = context.AddTask("starting", maxValue: total);
                    int started = 0;
                    await body(description =>
                    {
                        task.Value = started++;
                        task.Description = Markup.Escape($"[{started}/{total}] {description}");
                    }).ConfigureAwait(false);
                    task.Value = total;
                }).ConfigureAwait(false);
        }
        finally
        {
            _live = false;
        }
    }

    internal void WriteLine() => _console.Profile.Out.Writer.WriteLine();

    internal void WriteWarning(string text) => _console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(text)}");

    internal void WriteCalibration(CpuWorkCalibration calibration)
    {
        WriteLine(
            $"Calibration: SHA-256 over {calibration.Work.Bytes:N0} B = {calibration.MeasuredNs / 1000:F2} us per half "
            + $"(target {calibration.TargetNs / 1000:F2} us; one hashing call costs at least {calibration.FloorNs / 1000:F2} us).");
        if (calibration.TargetBelowFloor)
        {
            WriteWarning(
                $"the CPU work asked for ({calibration.TargetNs / 1000:F2} us per half) is below the cost of one hashing call; "
                + $"each half costs {calibration.MeasuredNs / 1000:F2} us instead.");
        }
    }

    /// <summary>One configuration on one line.</summary>
    internal void WriteResult(RunResult r)
    {
        var parts = new List<string>
        {
            $"{r.Mode}: {r.ThroughputRps:N0} req/s",
            $"bound {r.Bound.RequestsPerSecond:N0} req/s ({r.Bound.LimitedBy}-bound, c = {r.CpuWorkUs:F2} us: "
                + $"{r.CpuWorkBeforeNs / 1000:F2} before, {r.CpuWorkAfterNs / 1000:F2} after)",
            $"efficiency {r.Efficiency:F2}",
            $"latency p50 {r.P50Us:F1} us, p99 {r.P99Us:F1} us, p99.9 {r.P999Us:F1} us, max {r.MaxUs:F1} us",
            $"CPU {Format(r.CpuUsPerRequest, "F2")} us/req (process incl. device {Format(r.ProcessCpuUsPerRequest, "F2")})",
            $"csw {Format(r.CswPerRequest, "F4")}/req (voluntary {Format(r.VoluntaryCswPerRequest, "F4")}, "
                + $"involuntary {Format(r.InvoluntaryCswPerRequest, "F4")})",
            $"loop busy {Percent(r.LoopBusyFraction)}, sleeps {Format(r.SleepsPerRequest, "F4")}/req, wakes {Format(r.WakesPerRequest, "F4")}/req",
            $"alloc {Format(r.AllocatedBytesPerRequest, "F1")} B/req, gen0 GCs {r.Gen0Collections}",
            $"{r.Requests:N0} requests in {r.Elapsed.TotalSeconds:F2} s",
            $"other processes {Format(r.OtherProcessesCores, "F2")} cores, steal {Format(r.StealCores, "F2")}",
        };
        if (r.Stalls > 0)
        {
            parts.Add($"loop stalls reported {r.Stalls}");
        }

        WriteLine(string.Join("; ", parts));
    }

    internal void WriteTable(IReadOnlyList<RunResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Mode");
        foreach (string heading in (string[])["L us", "N", "req/s", "bound", "eff.", "c us", "p50 us", "p99 us", "p99.9 us", "CPU us/req", "csw/req", "busy", "sleeps/req", "wakes/req", "others"])
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }

        foreach (RunResult r in results)
        {
            table.AddRow(
                Markup.Escape(r.Title),
                $"{r.Workload.OffloadUs:G}",
                $"{r.Workload.Concurrency}",
                $"{r.ThroughputRps:N0}",
                $"{r.Bound.RequestsPerSecond:N0} ({r.Bound.LimitedBy})",
                EfficiencyMarkup(r.Efficiency),
                $"{r.CpuWorkUs:F2}",
                $"{r.P50Us:F1}",
                $"{r.P99Us:F1}",
                $"{r.P999Us:F1}",
                Format(r.CpuUsPerRequest, "F2"),
                Format(r.CswPerRequest, "F4"),
                Percent(r.LoopBusyFraction),
                Format(r.SleepsPerRequest, "F4"),
                Format(r.WakesPerRequest, "F4"),
                Format(r.OtherProcessesCores, "F2"));
        }

        _console.Write(table);
    }

    /// <summary>
    /// For each offload latency: Interlude's throughput, efficiency and CPU per request against every other mode's,
    /// all measured in this run. Ratios, because absolute figures on a shared VM say little.
    /// </summary>
    internal void WriteRatios(IReadOnlyList<RunResult> results)
    {
        foreach (IGrouping<double, RunResult> group in results.GroupBy(r => r.Workload.OffloadUs))
        {
            RunResult? interlude = group.FirstOrDefault(r => r.Mode.StartsWith("interlude", StringComparison.Ordinal));
            if (interlude is null)
            {
                continue;
            }

            var parts = new List<string>();
            foreach (RunResult other in group.Where(r => !r.Mode.StartsWith("interlude", StringComparison.Ordinal)))
            {
                string cpu = interlude.CpuUsPerRequest is { } mine && other.CpuUsPerRequest is { } theirs && theirs > 0
                    ? $", CPU/req {mine / theirs:F2}x"
                    : string.Empty;
                // Efficiency divides out each row's own c: the machine's speed drifts between rows.
                parts.Add(
                    $"{interlude.Mode} / {other.Mode}: throughput {interlude.ThroughputRps / other.ThroughputRps:F2}x "
                    + $"(efficiency {interlude.Efficiency / other.Efficiency:F2}x){cpu}");
            }

            if (parts.Count > 0)
            {
                WriteLine($"L = {group.Key:G} us: " + string.Join("; ", parts));
            }
        }
    }

    private static string EfficiencyMarkup(double efficiency)
    {
        string color = efficiency >= 0.8 ? "green" : efficiency >= 0.5 ? "yellow" : "red";
        return $"[{color}]{efficiency:F2}[/]";
    }

    private static string Percent(double? fraction) => fraction is { } f ? $"{f * 100:F0}%" : "n/a";

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format) : "n/a";
}
