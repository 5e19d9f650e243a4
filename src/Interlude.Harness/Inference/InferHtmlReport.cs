using System.Globalization;
using System.Text;
using Interlude.Harness.Reporting;

namespace Interlude.Harness.Inference;

/// <summary>
/// <c>interlude bench infer</c>'s report of one model as one self-contained HTML file: the latency CDF of every mode in each load
/// phase, the results, the batch sizes and the ratios. Inline SVG, no script.
/// </summary>
public static class InferHtmlReport
{
    /// <summary>How the columns were measured, for the report's notes.</summary>
    public static IReadOnlyList<string> StandardNotes { get; } =
    [
        "requests/s: the client's 2xx responses over its run time; p50/p99/p99.9: its per-request log, 2xx only (closed loop: h2load's --log-file).",
        "closed loop: h2load, every connection sending its next request when the previous answer arrives; open loop: a client in a process of its own "
            + "sends each request when it is due (Poisson arrivals by default: exponential gaps at the mean rate) over a pool of connections, whatever is "
            + "still outstanding, and counts its latency from when it was due, so time spent queued is in the figures.",
        "app us/req: this process's CPU time (getrusage) less the device thread's (/proc/self/task/TID/schedstat), per request; neither client is in it. "
            + "aspnet-ort has no device: its CPU per request is the whole process's, ONNX Runtime included, and its ThreadPool may use every core.",
        "device busy: the device thread's time running batches over the wall time; batch sizes: the model's runs by size, "
            + "from /v2/models/{name}/stats before and after the phase (all-minilm-l6-v2 or blazeface).",
        "The clients share the machine with the server: on a two-core machine they compete with the loop and the device thread.",
    ];

    private const string Style = """
        body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #222; margin: 24px auto; max-width: 1180px; padding: 0 16px; line-height: 1.45; }
        h1 { font-size: 22px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        dl.context { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; } dl.context dt { font-weight: 600; } dl.context dd { margin: 0; }
        code { font-family: ui-monospace, Menlo, Consolas, monospace; background: #f4f4f4; padding: 1px 4px; border-radius: 3px; }
        p.caption { color: #555; font-size: 14px; max-width: 900px; } svg.chart { max-width: 100%; height: auto; border: 1px solid #e4e4e4; border-radius: 4px; }
        .cdfs { display: flex; flex-wrap: wrap; gap: 16px; } .table-wrap { overflow-x: auto; }
        table.results { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
        table.results th, table.results td { padding: 4px 7px; border-bottom: 1px solid #e4e4e4; text-align: right; white-space: nowrap; }
        table.results th { background: #f4f4f4; } table.results .text { text-align: left; } .notes { color: #555; font-size: 14px; }
        """;

    public static void Write(FileInfo destination, IReadOnlyList<InferModeResult> results, IReadOnlyList<InferRatio> ratios, HtmlReportContext context)
    {
        string markup = Render(results, ratios, context);
        AtomicFile.Write(destination, writer => writer.Write(markup));
    }

    /// <summary>The report's markup; void elements are self-closed, so it also parses as XML.</summary>
    public static string Render(IReadOnlyList<InferModeResult> results, IReadOnlyList<InferRatio> ratios, HtmlReportContext context)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(ratios);
        ArgumentNullException.ThrowIfNull(context);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append($"<title>{SvgMarkup.Escape(context.Heading)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n")
            .Append($"<h1>{SvgMarkup.Escape(context.Heading)}</h1>\n<dl class=\"context\">\n");
        if (context.CommandLine is { } commandLine)
        {
            Entry(html, "Command", $"<code>{SvgMarkup.Escape(commandLine)}</code>");
        }

        Entry(html, "Machine", SvgMarkup.Escape(context.Machine));
        Entry(html, "Cores", SvgMarkup.Escape(context.Cores));
        Entry(html, "Load", SvgMarkup.Escape(context.Workload));
        Entry(html, "When", SvgMarkup.Escape(context.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));
        html.Append("</dl>\n<section>\n<h2>Latency distributions</h2>\n<div class=\"cdfs\">\n");
        AppendCdf(html, results, "closed loop", r => r.Closed);
        AppendCdf(html, results, "open loop", r => r.Open);
        html.Append("</div>\n<p class=\"caption\">Share of the requests answered within a given latency. Further left is better; a curve that reaches 1 late has a long tail.</p>\n</section>\n");
        AppendTable(html, results);
        html.Append("<h2>Ratios</h2>\n<ul>\n");
        foreach (InferRatio ratio in ratios)
        {
            string target = string.Create(CultureInfo.InvariantCulture, $"{(ratio.AtLeast ? "≥" : "≤")} {ratio.Target:G}");
            string verdict = ratio.Met switch { true => "met", false => "not met", null => "no value" };
            html.Append($"<li>{SvgMarkup.Escape(ratio.Description)}: {SvgMarkup.Escape(F(ratio.Value, "F3"))} (target {SvgMarkup.Escape(target)}: {verdict})</li>\n");
        }

        html.Append("</ul>\n<section class=\"notes\">\n");
        foreach (string note in context.Notes)
        {
            html.Append("<p>").Append(SvgMarkup.Escape(note)).Append("</p>\n");
        }

        html.Append("</section>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A histogram as "size×runs" pairs, for example "1×40 2×7"; "-" when empty.</summary>
    public static string DescribeBatches(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        string text = string.Join(' ', Enumerable.Range(1, Math.Max(0, counts.Count - 1))
            .Where(size => counts[size] != 0)
            .Select(size => string.Create(CultureInfo.InvariantCulture, $"{size}×{counts[size]}")));
        return text.Length == 0 ? "-" : text;
    }

    private static void AppendCdf(StringBuilder html, IReadOnlyList<InferModeResult> results, string phase, Func<InferModeResult, InferLoadResult?> load)
    {
        var chart = new SvgLineChart($"Latency CDF, {phase}", "request latency (us, log scale)", "fraction of requests ≤ x")
        {
            LogX = true,
            YMin = 0,
            YMax = 1,
            Width = 560,
            Height = 340,
            Legend = SvgLegendPlacement.Bottom,
        };
        for (int i = 0; i < results.Count; i++)
        {
            if (load(results[i]) is { Succeeded: > 0 } measured)
            {
                List<(double X, double Y)> points = measured.Latencies.CumulativeDistribution().Select(p => (p.Value / 1000.0, p.Fraction)).ToList();
                chart.Add(new SvgSeries(results[i].Mode, SvgPalette.Color(i), points));
            }
        }

        html.Append(chart.Render()).Append('\n');
    }

    private static void AppendTable(StringBuilder html, IReadOnlyList<InferModeResult> results)
    {
        string[] headings = ["offered/s", "requests/s", "failed", "p50 us", "p99 us", "p99.9 us", "app us/req", "device busy", "mean batch", "batch sizes (size×runs)"];
        html.Append("<section>\n<h2>Results</h2>\n<div class=\"table-wrap\">\n<table class=\"results\">\n<thead><tr><th class=\"text\">mode</th><th class=\"text\">load</th>");
        foreach (string heading in headings)
        {
            html.Append("<th>").Append(SvgMarkup.Escape(heading)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (InferModeResult r in results)
        {
            if (r.Error is not null)
            {
                html.Append($"<tr><td class=\"text\">{SvgMarkup.Escape(r.Mode)}</td><td class=\"text\" colspan=\"{headings.Length + 1}\">not measured: {SvgMarkup.Escape(r.Error)}</td></tr>\n");
                continue;
            }

            foreach ((string phase, InferLoadResult? load) in new[] { ("closed", r.Closed), ("open", r.Open) })
            {
                if (load is null)
                {
                    continue;
                }

                html.Append($"<tr><td class=\"text\">{SvgMarkup.Escape(r.Mode)}</td><td class=\"text\">{phase}</td>");
                foreach (string cell in new[]
                {
                    F(load.OfferedPerSecond ?? double.NaN, "F0"), F(load.RequestsPerSecond, "F0"), load.Failed.ToString(CultureInfo.InvariantCulture), F(load.P50Us, "F0"),
                    F(load.P99Us, "F0"), F(load.P999Us, "F0"), F(load.AppCpuUsPerRequest, "F0"), F(load.DeviceUtilization ?? double.NaN, "F2"),
                    F(load.AverageBatchSize, "F2"), DescribeBatches(load.BatchSizeCounts),
                })
                {
                    html.Append("<td>").Append(SvgMarkup.Escape(cell)).Append("</td>");
                }

                html.Append("</tr>\n");
            }
        }

        html.Append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static void Entry(StringBuilder html, string term, string markup)
        => html.Append("<dt>").Append(SvgMarkup.Escape(term)).Append("</dt><dd>").Append(markup).Append("</dd>\n");

    private static string F(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";
}
