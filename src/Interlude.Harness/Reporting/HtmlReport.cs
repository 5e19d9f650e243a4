using System.Globalization;
using System.Text;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Reporting;

/// <summary>
/// Writes the results as one self-contained HTML file: throughput, CPU per request and efficiency against offload
/// latency, a latency CDF per offload latency, and the table. Charts are inline SVG with inline styles; there is
/// no script, font, image or link to fetch, so the file reads the same offline, mailed, or years later.
/// </summary>
public static class HtmlReport
{
    private const string BoundFormula = "min(1/c, N/(L+c))";

    private const string Style = """
        body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #222; margin: 24px auto; max-width: 1180px; padding: 0 16px; line-height: 1.45; }
        h1 { font-size: 22px; margin: 0 0 12px; }
        h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        dl.context { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 12px; }
        dl.context dt { font-weight: 600; }
        dl.context dd { margin: 0; }
        code { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; background: #f4f4f4; padding: 1px 4px; border-radius: 3px; }
        p.caption { color: #555; margin: 4px 0 0; font-size: 14px; max-width: 900px; }
        svg.chart { max-width: 100%; height: auto; border: 1px solid #e4e4e4; border-radius: 4px; }
        .cdfs { display: flex; flex-wrap: wrap; gap: 16px; }
        .table-wrap { overflow-x: auto; }
        table.results { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; margin-top: 8px; }
        table.results th, table.results td { padding: 4px 7px; border-bottom: 1px solid #e4e4e4; text-align: right; white-space: nowrap; }
        table.results th { background: #f4f4f4; }
        table.results .text { text-align: left; }
        table.results tbody tr:hover { background: #fafafa; }
        td.good { background: #d4eee3; }
        td.fair { background: #fbe7c2; }
        td.poor { background: #f7d2bd; }
        .notes { color: #555; font-size: 14px; }
        """;

    /// <summary>Writes the report whole or not at all: beside its destination under a temporary name, then renamed into place.</summary>
    public static void Write(FileInfo destination, IReadOnlyList<RunResult> results, HtmlReportContext context)
    {
        string markup = Render(results, context);
        AtomicFile.Write(destination, writer => writer.Write(markup));
    }

    /// <summary>The report's markup. Void elements are self-closed, so the document also parses as XML.</summary>
    public static string Render(IReadOnlyList<RunResult> results, HtmlReportContext context)
    {
        var series = HtmlModeSeries.From(results);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append($"<title>{SvgMarkup.Escape(context.Heading)}</title>\n")
            .Append("<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n");

        AppendHeader(html, context, results);
        if (results.Count == 0)
        {
            html.Append("<p>No results.</p>\n");
        }
        else
        {
            AppendSection(
                html,
                "Throughput",
                ThroughputChart(series, results),
                $"Requests completed per second against the offload latency L (log scale). The dashed line is the bound {BoundFormula} "
                + "summed over the application cores, from c measured in the same run (the mean over modes at each L; where a mode's N "
                + "was capped, its own bound is in the table).");
            AppendSection(
                html,
                "CPU per request",
                CpuChart(series, results),
                "Application CPU time per request (getrusage, the simulated device's thread excluded). The dashed line is c, the request's "
                + "own work timed alone: what is above it is the cost of waiting, switching and scheduling.");
            AppendSection(
                html,
                "Efficiency",
                EfficiencyChart(series),
                "Throughput divided by the bound: 1 means the mode got everything the cores and the requests in flight allow.");
            AppendCdfs(html, series, results);
            html.Append("<h2>Results</h2>\n");
            HtmlResultsTable.Append(html, results, series.LabelOf);
        }

        AppendNotes(html, context);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendHeader(StringBuilder html, HtmlReportContext context, IReadOnlyList<RunResult> results)
    {
        html.Append($"<header>\n<h1>{SvgMarkup.Escape(context.Heading)}</h1>\n<dl class=\"context\">\n");
        if (context.CommandLine is { } commandLine)
        {
            Entry(html, "Command", $"<code>{SvgMarkup.Escape(commandLine)}</code>");
        }

        Entry(html, "Machine", SvgMarkup.Escape(context.Machine));
        Entry(html, "Cores", SvgMarkup.Escape(context.Cores));
        Entry(html, "Workload", SvgMarkup.Escape(context.Workload));
        Entry(html, "When", SvgMarkup.Escape(context.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));
        Entry(html, "Configurations", results.Count.ToString(CultureInfo.InvariantCulture));
        html.Append("</dl>\n");
        html.Append($"<p>Bound on throughput per application core: <code>{SvgMarkup.Escape(BoundFormula)}</code>, where c is the request's CPU ")
            .Append("work (before and after the offload) measured in the same run, L the offload latency and N the requests in flight on ")
            .Append("that core; 1/c is what the core can compute, N/(L+c) what the requests in flight allow. The report's bound sums it over ")
            .Append("the application cores.</p>\n</header>\n");
    }

    private static void Entry(StringBuilder html, string term, string markup)
        => html.Append("<dt>").Append(SvgMarkup.Escape(term)).Append("</dt><dd>").Append(markup).Append("</dd>\n");

    private static void AppendSection(StringBuilder html, string heading, string svg, string caption)
    {
        html.Append($"<section>\n<h2>{SvgMarkup.Escape(heading)}</h2>\n").Append(svg).Append('\n')
            .Append($"<p class=\"caption\">{SvgMarkup.Escape(caption)}</p>\n</section>\n");
    }

    private static string ThroughputChart(HtmlModeSeries series, IReadOnlyList<RunResult> results)
    {
        var chart = new SvgLineChart("Throughput vs offload latency", "offload latency L (us, log scale)", "requests per second") { LogX = true };
        foreach (SvgSeries line in series.Lines(r => r.ThroughputRps))
        {
            chart.Add(line);
        }

        foreach (double cpuUs in series.Configurations)
        {
            chart.Add(new SvgSeries(
                $"bound {BoundFormula}{series.ConfigurationSuffix(cpuUs)}",
                SvgPalette.Reference,
                MeanByOffload(results, cpuUs, r => r.Bound.RequestsPerSecond, fullConcurrencyOnly: true),
                IsReference: true));
        }

        return chart.Render();
    }

    private static string CpuChart(HtmlModeSeries series, IReadOnlyList<RunResult> results)
    {
        var chart = new SvgLineChart("CPU per request vs offload latency", "offload latency L (us, log scale)", "application CPU us per request") { LogX = true };
        foreach (SvgSeries line in series.Lines(r => r.CpuUsPerRequest))
        {
            chart.Add(line);
        }

        foreach (double cpuUs in series.Configurations)
        {
            chart.Add(new SvgSeries(
                $"c, work alone{series.ConfigurationSuffix(cpuUs)}",
                SvgPalette.Reference,
                MeanByOffload(results, cpuUs, r => r.CpuWorkUs, fullConcurrencyOnly: false),
                IsReference: true));
        }

        return chart.Render();
    }

    private static string EfficiencyChart(HtmlModeSeries series)
    {
        List<SvgSeries> lines = series.Lines(r => r.Efficiency);
        double highest = lines.SelectMany(l => l.Points).Select(p => p.Y).Where(double.IsFinite).DefaultIfEmpty(1).Max();

        // Runs can edge past the bound (c drifts between its readings); the axis grows rather than clip them.
        double top = Math.Max(1, Math.Ceiling(highest * 10) / 10);
        var chart = new SvgLineChart("Efficiency vs offload latency", "offload latency L (us, log scale)", "throughput / bound")
        {
            LogX = true,
            YMin = 0,
            YMax = top,
        };
        foreach (SvgSeries line in lines)
        {
            chart.Add(line);
        }

        List<double> offloads = lines.SelectMany(l => l.Points).Select(p => p.X).Where(x => x > 0).ToList();
        if (offloads.Count > 0)
        {
            chart.Add(new SvgSeries("bound", SvgPalette.Reference, [(offloads.Min(), 1.0), (offloads.Max(), 1.0)], IsReference: true));
        }

        return chart.Render();
    }

    private static void AppendCdfs(StringBuilder html, HtmlModeSeries series, IReadOnlyList<RunResult> results)
    {
        html.Append("<section>\n<h2>Latency distributions</h2>\n<div class=\"cdfs\">\n");
        foreach (double offload in results.Select(r => r.Workload.OffloadUs).Distinct().Order())
        {
            var chart = new SvgLineChart(
                $"Latency CDF, L = {offload.ToString("G", CultureInfo.InvariantCulture)} us",
                "request latency (us, log scale)",
                "fraction of requests ≤ x")
            {
                LogX = true,
                YMin = 0,
                YMax = 1,
                Width = 560,
                Height = 340,
                Legend = SvgLegendPlacement.Bottom,
            };
            foreach (RunResult result in results.Where(r => r.Workload.OffloadUs.Equals(offload)))
            {
                int index = series.IndexOf(result);
                chart.Add(new SvgSeries(series.LabelOf(result), SvgPalette.Color(index), result.LatencyCdfUs()));
            }

            html.Append(chart.Render()).Append('\n');
        }

        html.Append("</div>\n<p class=\"caption\">")
            .Append(SvgMarkup.Escape(
                "Share of requests that completed within a given latency, issue to completion, from the run's log-bucketed histogram "
                + "(buckets at most 0.8% wide). Further left is faster; a curve that reaches 1 late has a long tail."))
            .Append("</p>\n</section>\n");
    }

    private static void AppendNotes(StringBuilder html, HtmlReportContext context)
    {
        if (context.Notes.Count == 0)
        {
            return;
        }

        html.Append("<section class=\"notes\">\n");
        foreach (string note in context.Notes)
        {
            html.Append("<p>").Append(SvgMarkup.Escape(note)).Append("</p>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>
    /// <paramref name="value"/> at each offload latency, averaged over the modes: c drifts a little from run to run.
    /// With <paramref name="fullConcurrencyOnly"/>, only the runs with the most requests in flight count, so a mode
    /// whose N was capped does not pull the line below what the others were allowed.
    /// </summary>
    private static List<(double X, double Y)> MeanByOffload(
        IReadOnlyList<RunResult> results, double cpuUs, Func<RunResult, double> value, bool fullConcurrencyOnly)
        => results
            .Where(r => r.Workload.CpuUs.Equals(cpuUs))
            .GroupBy(r => r.Workload.OffloadUs)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                int most = g.Max(r => r.Workload.Concurrency);
                return (g.Key, g.Where(r => !fullConcurrencyOnly || r.Workload.Concurrency == most).Average(value));
            })
            .ToList();
}
