using System.Globalization;
using System.Text;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Reporting;

/// <summary>
/// The results as an HTML table: the console table's columns, with the offload latency and requests in flight
/// added, since a sweep's rows differ in them.
/// </summary>
public static class HtmlResultsTable
{
    private static readonly string[] s_headings =
    [
        "L us", "N", "req/s", "bound", "eff.", "c us", "p50 us", "p99 us", "p99.9 us", "CPU us/req", "csw/req", "busy",
        "sleeps/req", "wakes/req", "others",
    ];

    public static void Append(StringBuilder html, IReadOnlyList<RunResult> results, Func<RunResult, string> label)
    {
        // The wrapper scrolls sideways on a narrow window instead of pushing the page wider.
        html.Append("<div class=\"table-wrap\">\n<table class=\"results\">\n<thead><tr><th class=\"text\">Mode</th>");
        foreach (string heading in s_headings)
        {
            html.Append("<th>").Append(SvgMarkup.Escape(heading)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (RunResult r in results)
        {
            html.Append("<tr><td class=\"text\">").Append(SvgMarkup.Escape(label(r))).Append("</td>");
            Cell(html, r.Workload.OffloadUs.ToString("G", CultureInfo.InvariantCulture));
            Cell(html, r.Workload.Concurrency.ToString(CultureInfo.InvariantCulture));
            Cell(html, Format(r.ThroughputRps, "N0"));
            Cell(html, $"{Format(r.Bound.RequestsPerSecond, "N0")} ({r.Bound.LimitedBy})");
            html.Append($"<td class=\"{EfficiencyClass(r.Efficiency)}\">").Append(Format(r.Efficiency, "F2")).Append("</td>");
            Cell(html, Format(r.CpuWorkUs, "F2"));
            Cell(html, Format(r.P50Us, "F1"));
            Cell(html, Format(r.P99Us, "F1"));
            Cell(html, Format(r.P999Us, "F1"));
            Cell(html, Format(r.CpuUsPerRequest, "F2"));
            Cell(html, Format(r.CswPerRequest, "F4"));
            Cell(html, r.LoopBusyFraction is { } busy ? Format(busy * 100, "F0") + "%" : "n/a");
            Cell(html, Format(r.SleepsPerRequest, "F4"));
            Cell(html, Format(r.WakesPerRequest, "F4"));
            Cell(html, Format(r.OtherProcessesCores, "F2"));
            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</div>\n");
    }

    // The console colours efficiency the same way: at least 0.8 good, at least 0.5 fair.
    private static string EfficiencyClass(double efficiency) => efficiency >= 0.8 ? "good" : efficiency >= 0.5 ? "fair" : "poor";

    private static void Cell(StringBuilder html, string text) => html.Append("<td>").Append(SvgMarkup.Escape(text)).Append("</td>");

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
