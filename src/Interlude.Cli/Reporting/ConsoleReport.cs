using Interlude.Cli.Measurement;
using Interlude.Cli.Workload;
using Spectre.Console;

namespace Interlude.Cli.Reporting;

/// <summary>
/// The console side of a report: plain lines as each configuration finishes (they survive redirection and
/// grep), then a table of all of them.
/// </summary>
internal sealed class ConsoleReport
{
    // Redirected output has no terminal width; Spectre would assume 80 columns and fold the table.
    private const int RedirectedWidth = 160;

    private readonly IAnsiConsole _console;

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

    /// <summary>Writes the text as it is: not folded at the console's width, so each line stays one line.</summary>
    internal void WriteLine(string text) => _console.Profile.Out.Writer.WriteLine(text);

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
        foreach (string heading in (string[])["req/s", "bound", "eff.", "c us", "p50 us", "p99 us", "p99.9 us", "CPU us/req", "csw/req", "busy", "sleeps/req", "wakes/req", "others"])
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }

        foreach (RunResult r in results)
        {
            table.AddRow(
                Markup.Escape(r.Title),
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

    private static string EfficiencyMarkup(double efficiency)
    {
        string color = efficiency >= 0.8 ? "green" : efficiency >= 0.5 ? "yellow" : "red";
        return $"[{color}]{efficiency:F2}[/]";
    }

    private static string Percent(double? fraction) => fraction is { } f ? $"{f * 100:F0}%" : "n/a";

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format) : "n/a";
}
