using System.Globalization;
using System.Text;
using Interlude.Harness.Reporting;

namespace Interlude.Harness.Tls;

/// <summary>
/// <c>interlude bench tls</c>'s report as one self-contained HTML file: handshakes/s and app-core CPU per handshake by
/// mode, a keep-alive latency CDF per configuration, the results and the ratios. Inline SVG, no script.
/// </summary>
public static class TlsHtmlReport
{
    /// <summary>How the columns were measured, for the report's notes.</summary>
    public static IReadOnlyList<string> StandardNotes { get; } =
    [
        "handshakes/s: h2load's succeeded requests per second, one request per connection (Connection: close), so each is a full TLS handshake; "
            + "the server turns resumption off.",
        "app us/hs: this process's CPU time (getrusage) less the engine's threads and the in-process probe's and sampler's threads "
            + "(/proc/self/task/*/schedstat), over the handshakes the server completed. kestrel-sockets' ThreadPool may use every core.",
        "engine: the engine threads' CPU time over the wall time; it spins briefly after each operation, which counts as busy.",
        "hs p50/p99: connect plus full handshake, sampled by one in-process client at a fixed interval during the storm.",
        "keep-alive: requests on persistent connections opened before the storm, at a fixed interval, timed from their schedule when "
            + "the previous response made them late.",
        "h2load and the in-process clients share the machine with the server: on a two-core machine they compete with the loop and the engine.",
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

    public static void Write(FileInfo destination, IReadOnlyList<TlsConfigurationResult> results, IReadOnlyList<GatewayResult> gateway, HtmlReportContext context)
    {
        string markup = Render(results, gateway, context);
        AtomicFile.Write(destination, writer => writer.Write(markup));
    }

    /// <summary>The report's markup; void elements are self-closed, so it also parses as XML.</summary>
    public static string Render(IReadOnlyList<TlsConfigurationResult> results, IReadOnlyList<GatewayResult> gateway, HtmlReportContext context)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(context);
        List<string> modes = results.SelectMany(r => r.Results).Select(r => r.Mode).Distinct().ToList();
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
        html.Append("</dl>\n");

        string legend = string.Join(", ", modes.Select((m, i) => $"{i + 1} = {m}"));
        Section(html, "Handshakes per second", ByMode(results, modes, "Full handshakes per second by mode", "handshakes per second", r => r.HandshakesPerSecond),
            $"One line per configuration; x is the mode: {legend}. The engine's standalone signing rate is in the ratios below.");
        Section(html, "Application CPU per handshake", ByMode(results, modes, "App-core CPU per handshake by mode", "CPU us per handshake", r => r.AppCpuUsPerHandshake),
            $"The process's CPU less the engine's and the in-process clients' threads, per handshake; x is the mode: {legend}.");
        AppendCdfs(html, results, modes);
        AppendTable(html, results);
        AppendGateway(html, gateway);
        html.Append("<section class=\"notes\">\n");
        foreach (string note in context.Notes)
        {
            html.Append("<p>").Append(SvgMarkup.Escape(note)).Append("</p>\n");
        }

        html.Append("</section>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string ByMode(IReadOnlyList<TlsConfigurationResult> results, List<string> modes, string title, string yLabel, Func<TlsModeResult, double> value)
    {
        var chart = new SvgLineChart(title, "mode (see caption)", yLabel);
        for (int i = 0; i < results.Count; i++)
        {
            List<(double X, double Y)> points = results[i].Results
                .Where(r => r.Error is null)
                .Select(r => (X: (double)(modes.IndexOf(r.Mode) + 1), Y: value(r)))
                .ToList();
            chart.Add(new SvgSeries(results[i].Configuration.Name, SvgPalette.Color(i), points, SvgPalette.Marker(i)));
        }

        return chart.Render();
    }

    private static void AppendCdfs(StringBuilder html, IReadOnlyList<TlsConfigurationResult> results, List<string> modes)
    {
        html.Append("<section>\n<h2>Keep-alive latency during the storm</h2>\n<div class=\"cdfs\">\n");
        foreach (TlsConfigurationResult configuration in results)
        {
            var chart = new SvgLineChart($"Keep-alive latency CDF, {configuration.Configuration.Name}", "request latency (us, log scale)", "fraction of requests ≤ x")
            {
                LogX = true,
                YMin = 0,
                YMax = 1,
                Width = 560,
                Height = 340,
                Legend = SvgLegendPlacement.Bottom,
            };
            foreach (TlsModeResult result in configuration.Results.Where(r => r.Error is null))
            {
                List<(double X, double Y)> points = result.ProbeLatencies.CumulativeDistribution().Select(p => (p.Value / 1000.0, p.Fraction)).ToList();
                int index = modes.IndexOf(result.Mode);
                chart.Add(new SvgSeries(result.Mode, SvgPalette.Color(index), points));
            }

            html.Append(chart.Render()).Append('\n');
        }

        html.Append("</div>\n<p class=\"caption\">Share of the probe's keep-alive requests that completed within a given latency while h2load stormed the ")
            .Append("server with handshakes. Further left is better; a curve that reaches 1 late has a long tail.</p>\n</section>\n");
    }

    private static void AppendTable(StringBuilder html, IReadOnlyList<TlsConfigurationResult> results)
    {
        string[] headings = ["handshakes/s", "failed", "app us/hs", "engine", "h2load", "hs p50 us", "hs p99 us", "ka p50 us", "ka p99 us", "ka requests", "protocol"];
        html.Append("<section>\n<h2>Results</h2>\n<div class=\"table-wrap\">\n<table class=\"results\">\n<thead><tr><th class=\"text\">configuration</th><th class=\"text\">mode</th>");
        foreach (string heading in headings)
        {
            html.Append("<th>").Append(SvgMarkup.Escape(heading)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (TlsConfigurationResult configuration in results)
        {
            foreach (TlsModeResult r in configuration.Results)
            {
                html.Append($"<tr><td class=\"text\">{SvgMarkup.Escape(configuration.Configuration.Name)}</td><td class=\"text\">{SvgMarkup.Escape(r.Mode)}</td>");
                if (r.Error is not null)
                {
                    html.Append($"<td class=\"text\" colspan=\"{headings.Length}\">not measured: {SvgMarkup.Escape(r.Error)}</td></tr>\n");
                    continue;
                }

                foreach (string cell in new[]
                {
                    F(r.HandshakesPerSecond, "F0"), r.Failed.ToString(CultureInfo.InvariantCulture), F(r.AppCpuUsPerHandshake, "F0"),
                    F(r.EngineUtilization ?? double.NaN, "F2"), F(r.LoadGeneratorUtilization ?? double.NaN, "F2"), F(r.HandshakeP50Us, "F0"), F(r.HandshakeP99Us, "F0"), F(r.ProbeP50Us, "F0"),
                    F(r.ProbeP99Us, "F0"), r.ProbeRequests.ToString(CultureInfo.InvariantCulture), r.TlsProtocol,
                })
                {
                    html.Append("<td>").Append(SvgMarkup.Escape(cell)).Append("</td>");
                }

                html.Append("</tr>\n");
            }
        }

        html.Append("</tbody>\n</table>\n</div>\n<h2>Ratios</h2>\n<ul>\n");
        foreach (TlsConfigurationResult configuration in results)
        {
            string capacity = DescribeCapacity(configuration);
            html.Append($"<li>{SvgMarkup.Escape(configuration.Configuration.Name)}: {SvgMarkup.Escape(capacity)}<ul>\n");
            foreach (TlsRatio ratio in configuration.Ratios)
            {
                string target = string.Create(CultureInfo.InvariantCulture, $"{(ratio.AtLeast ? "≥" : "≤")} {ratio.Target:G}");
                string verdict = ratio.Met switch { true => "met", false => "not met", null => "no value" };
                html.Append($"<li>{SvgMarkup.Escape(ratio.Description)}: {SvgMarkup.Escape(F(ratio.Value, "F3"))} (target {SvgMarkup.Escape(target)}: {verdict})</li>\n");
            }

            html.Append("</ul></li>\n");
        }

        html.Append("</ul>\n</section>\n");
    }

    private static void AppendGateway(StringBuilder html, IReadOnlyList<GatewayResult> gateway)
    {
        if (gateway.Count == 0)
        {
            return;
        }

        html.Append("<section>\n<h2>SecureGateway: POST /tokens on kept-alive connections</h2>\n<div class=\"table-wrap\">\n<table class=\"results\">\n")
            .Append("<thead><tr><th class=\"text\">mode</th><th>tokens/s</th><th>failed</th><th>p50 us</th><th>p99 us</th><th>app us/req</th><th>engine</th></tr></thead>\n<tbody>\n");
        foreach (GatewayResult g in gateway)
        {
            html.Append($"<tr><td class=\"text\">{SvgMarkup.Escape(g.Mode)}</td>");
            if (g.Error is not null)
            {
                html.Append($"<td class=\"text\" colspan=\"6\">not measured: {SvgMarkup.Escape(g.Error)}</td></tr>\n");
                continue;
            }

            foreach (string cell in new[]
            {
                F(g.TokensPerSecond, "F0"), g.Failed.ToString(CultureInfo.InvariantCulture), F(g.P50Us, "F0"), F(g.P99Us, "F0"),
                F(g.AppCpuUsPerRequest, "F0"), F(g.EngineUtilization ?? double.NaN, "F2"),
            })
            {
                html.Append("<td>").Append(SvgMarkup.Escape(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</div>\n<p class=\"caption\">Each request issues one ES256 token; ECDSA P-256 certificate, TLS 1.3. ")
            .Append("In the offload modes the tokens are signed on the engine (which also takes the handshakes, few here); elsewhere inline ")
            .Append("with the BCL. app us/req: the process less the engine's thread, per request.</p>\n</section>\n");
    }

    /// <summary>The configuration's engine capacity and the BCL's rate in a sentence, or why they are missing.</summary>
    public static string DescribeCapacity(TlsConfigurationResult configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Capacity is not { } c)
        {
            return $"engine capacity not measured ({configuration.CapacityError})";
        }

        string engine = c.EngineError is null
            ? string.Create(CultureInfo.InvariantCulture, $"engine {c.SignaturesPerSecond:F0} signatures/s (engine busy {c.EngineBusy:F2})")
            : $"engine capacity not measured ({c.EngineError})";
        return string.Create(CultureInfo.InvariantCulture, $"{engine}; the BCL alone on the engine's core {c.BclSignaturesPerSecond:F0} signatures/s (its thread busy {c.BclBusy:F2})");
    }

    private static void Section(StringBuilder html, string heading, string svg, string caption)
        => html.Append($"<section>\n<h2>{SvgMarkup.Escape(heading)}</h2>\n{svg}\n<p class=\"caption\">{SvgMarkup.Escape(caption)}</p>\n</section>\n");

    private static void Entry(StringBuilder html, string term, string markup)
        => html.Append("<dt>").Append(SvgMarkup.Escape(term)).Append("</dt><dd>").Append(markup).Append("</dd>\n");

    private static string F(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";
}
