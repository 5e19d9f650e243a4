using System.Globalization;
using System.Text;
using Interlude.Cuda.Bench;
using Interlude.Harness.Reporting;

namespace Interlude.Cli.Reporting;

/// <summary>A self-contained HTML page (inline SVG, no scripts) for <c>interlude bench gpu</c>, drawn with the harness's chart helpers.</summary>
internal static class GpuHtmlReport
{
    internal static void Write(FileInfo destination, IReadOnlyList<GpuBenchRow> rows, string machine, string commandLine)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Interlude bench gpu</title>")
            .Append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}pre{background:#f6f6f6;padding:1em;overflow-x:auto}</style></head><body>\n")
            .Append("<h1>Interlude: GPU completion detection</h1>\n<p>")
            .Append(SvgMarkup.Escape(machine))
            .Append("</p>\n<p>Made with <code>")
            .Append(SvgMarkup.Escape(commandLine))
            .Append("</code>.</p>\n");

        var throughput = rows.Where(r => r.Section == "throughput").ToList();
        if (throughput.Count > 0)
        {
            AppendChart(page, throughput, "Throughput vs kernel length", "operations per second", r => r.OpsPerSecond, logY: false);
            AppendChart(page, throughput, "CPU per operation vs kernel length", "CPU microseconds per operation (log scale)", r => r.CpuUsPerOp, logY: true);
        }

        var table = new StringWriter(CultureInfo.InvariantCulture);
        GpuBenchReport.PrintTables(table, rows);
        GpuBenchReport.PrintRatios(table, rows);
        page.Append("<h2>Figures</h2>\n<pre>").Append(SvgMarkup.Escape(table.ToString())).Append("</pre>\n</body></html>\n");
        AtomicFile.Write(destination, writer => writer.Write(page.ToString()));
    }

    private static void AppendChart(StringBuilder page, List<GpuBenchRow> rows, string title, string yLabel, Func<GpuBenchRow, double> y, bool logY)
    {
        var chart = new SvgLineChart(title, "kernel length (us)", yLabel) { LogY = logY };
        int index = 0;
        foreach (IGrouping<string, GpuBenchRow> line in rows.GroupBy(r => r.Mode))
        {
            chart.Add(new SvgSeries(line.Key, SvgPalette.Color(index), line.Select(r => (r.KernelUs, y(r))).Where(p => double.IsFinite(p.Item2)).OrderBy(p => p.KernelUs).ToList(), SvgPalette.Marker(index)));
            index++;
        }

        page.Append("<h2>").Append(SvgMarkup.Escape(title)).Append("</h2>\n").Append(chart.Render()).Append('\n');
    }
}
