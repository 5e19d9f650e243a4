using System.Globalization;
using System.Text;
using Interlude.Harness.Reporting;

namespace Interlude.Harness.Wake;

/// <summary>A self-contained HTML page (inline SVG, no scripts) with the charts of <c>interlude bench wake</c>.</summary>
public static class WakeHtmlReport
{
    /// <summary>Writes the page: the machine and the command that made it, the charts (latencies on log scales: they span decades), the figures.</summary>
    public static void Write(FileInfo destination, IReadOnlyList<WakeMeasurement> rows, string machine, string commandLine = "interlude bench wake")
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Interlude bench wake</title>")
            .Append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}pre{background:#f6f6f6;padding:1em;overflow-x:auto}</style></head><body>\n")
            .Append("<h1>Interlude: completion delivery and wake-up</h1>\n<p>")
            .Append(SvgMarkup.Escape(machine))
            .Append("</p>\n<p>Made with <code>")
            .Append(SvgMarkup.Escape(commandLine))
            .Append("</code>.</p>\n");
        AppendChart(page, rows.Where(r => r.Section == "ping").ToList(), "Ping: completion to continuation (p50) vs idle gap", "idle gap before the completion (us)", r => r.GapUs, WakeReport.P50Us);
        AppendChart(page, rows.Where(r => r.Section == "ping").ToList(), "Ping: waiting core busy fraction vs idle gap", "idle gap before the completion (us)", r => r.GapUs, r => r.BusyFraction);
        AppendChart(page, rows.Where(r => r.Section == "primitives").ToList(), "Wake primitives: signal to waiter running (p50) vs idle gap", "idle gap before the signal (us)", r => r.GapUs, WakeReport.P50Us);
        AppendChart(page, rows.Where(r => r.Section == "queues").ToList(), "Queue scaling: ping p50 vs completion queues", "completion queues served by the loop", r => r.Queues, WakeReport.P50Us);
        AppendChart(page, rows.Where(r => r.Section == "adaptive").ToList(), "Offered load: offload round trip (p50)", "offered load (fraction of the loop's core)", r => r.Load, WakeReport.P50Us);
        AppendChart(page, rows.Where(r => r.Section == "adaptive").ToList(), "Offered load: loop busy fraction", "offered load (fraction of the loop's core)", r => r.Load, r => r.BusyFraction);
        AppendChart(page, rows.Where(r => r.Section == TimerSlackBench.Section).ToList(), "Timers: lateness of a sleeping loop's timer (p50) vs the delay asked for", "delay asked for (us)", r => r.GapUs, WakeReport.P50Us);

        var table = new StringWriter(CultureInfo.InvariantCulture);
        WakeReport.PrintTables(table, rows);
        WakeReport.PrintRatios(table, rows);
        page.Append("<h2>Figures</h2>\n<pre>").Append(SvgMarkup.Escape(table.ToString())).Append("</pre>\n</body></html>\n");
        AtomicFile.Write(destination, writer => writer.Write(page.ToString()));
    }

    private static void AppendChart(StringBuilder page, IReadOnlyList<WakeMeasurement> rows, string title, string xLabel, Func<WakeMeasurement, double> x, Func<WakeMeasurement, double> y)
    {
        if (rows.Count == 0)
        {
            return;
        }

        bool busy = title.Contains("busy", StringComparison.Ordinal);
        var chart = new SvgLineChart(title, xLabel, busy ? "busy fraction" : "microseconds (log scale)") { LogY = !busy };
        int index = 0;
        foreach (IGrouping<string, WakeMeasurement> line in rows.GroupBy(r => r.Placement == LoopPingBench.SameCore ? $"{r.Mode} (same core)" : r.Mode))
        {
            chart.Add(new SvgSeries(line.Key, SvgPalette.Color(index), line.Select(r => (x(r), y(r))).OrderBy(p => p.Item1).ToList(), SvgPalette.Marker(index)));
            index++;
        }

        page.Append("<h2>").Append(SvgMarkup.Escape(title)).Append("</h2>\n").Append(chart.Render()).Append('\n');
    }
}
