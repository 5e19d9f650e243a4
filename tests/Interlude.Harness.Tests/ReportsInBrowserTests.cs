using System.Diagnostics;
using System.Text.RegularExpressions;
using Interlude.Harness.Measurement;
using Interlude.Harness.Reporting;
using Interlude.Harness.Tests.Infrastructure;
using Interlude.Harness.Tls;
using Interlude.Harness.Wake;
using SkiaSharp;
using Xunit;

namespace Interlude.Harness.Tests;

/// <summary>
/// Every kind of HTML report the commands write (the comparison's, bench wake's, bench tls's), opened in a real
/// headless browser: it loads without console errors, its DOM has every chart the file has, each with its lines
/// drawn, and the page as rendered is not blank.
/// </summary>
public sealed partial class ReportsInBrowserTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [ChromiumFact]
    public async Task The_comparison_report_loads_and_draws_its_charts()
    {
        var file = new FileInfo(_directory.File("comparison.html"));
        HtmlReport.Write(file, HtmlReportTests.SampleResults(), HtmlReportTests.Context());

        await AssertLoadsAndDrawsAsync(file.FullName);
    }

    [ChromiumFact]
    public async Task The_wake_report_loads_and_draws_its_charts()
    {
        var file = new FileInfo(_directory.File("wake.html"));
        WakeHtmlReport.Write(file, WakeRows(), "test machine");

        await AssertLoadsAndDrawsAsync(file.FullName);
    }

    [ChromiumFact]
    public async Task The_tls_report_loads_and_draws_its_charts()
    {
        string file = _directory.File("tls.html");
        await File.WriteAllTextAsync(file, TlsHtmlReport.Render(
            [TlsSamples.Configuration()],
            [new GatewayResult { Mode = TlsModes.OffloadAsync, TokensPerSecond = 5000, P50Us = 800, P99Us = 2500 }],
            new HtmlReportContext("bench tls", "test machine", "0 and 1", "made up", DateTimeOffset.UnixEpoch) { Notes = TlsHtmlReport.StandardNotes }));

        await AssertLoadsAndDrawsAsync(file);
    }

    private async Task AssertLoadsAndDrawsAsync(string page)
    {
        string html = await File.ReadAllTextAsync(page);
        int charts = SvgElement().Matches(html).Count;
        Assert.True(charts > 0, "the report has no charts to check");

        (string dom, string log, byte[] screenshot) = await Chromium.OpenAsync(page, _directory.Path);

        // The browser parsed the page and kept every chart, each with something drawn in it.
        string[] svgs = [.. SvgBlock().Matches(dom).Select(m => m.Value)];
        Assert.Equal(charts, svgs.Length);
        Assert.All(svgs, svg => Assert.Matches("<(polyline|path|line|rect|circle)[ >]", svg));
        string[] errors = [.. log.Split('\n').Where(line => line.Contains("CONSOLE", StringComparison.Ordinal) || line.Contains("Uncaught", StringComparison.Ordinal))];
        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors));

        // And rendered: a blank or failed page is (nearly) one colour.
        Assert.NotEmpty(screenshot);
        using SKBitmap bitmap = SKBitmap.Decode(screenshot);
        Assert.NotNull(bitmap);
        int inked = 0;
        int sampled = 0;
        for (int y = 0; y < bitmap.Height; y += 4)
        {
            for (int x = 0; x < bitmap.Width; x += 4)
            {
                SKColor pixel = bitmap.GetPixel(x, y);
                sampled++;
                if (pixel.Red < 200 || pixel.Green < 200 || pixel.Blue < 200)
                {
                    inked++;
                }
            }
        }

        Assert.True(inked > sampled / 200, $"only {inked} of {sampled} sampled pixels are drawn on: the page rendered (nearly) blank");
    }

    private static List<WakeMeasurement> WakeRows()
    {
        var rows = new List<WakeMeasurement>();
        string[] modes = ["poll", "interrupt", "adaptive"];
        foreach (string mode in modes)
        {
            for (int i = 1; i <= 3; i++)
            {
                var latency = new LatencyHistogram();
                for (int v = 0; v < 100; v++)
                {
                    latency.Record((i * 1000) + (v * 10) + (Array.IndexOf(modes, mode) * 5000));
                }

                var cost = new WaitingCost(new ResourceUsage(TimeSpan.FromMilliseconds(10 * i), 0, 0), Stopwatch.Frequency / 10, 0, null);
                rows.Add(new WakeMeasurement("ping", mode, "other-core", i * 10, 1, 0, latency, cost));
                rows.Add(new WakeMeasurement("primitives", mode, "other-core", i * 10, 1, 0, latency, cost));
                rows.Add(new WakeMeasurement("queues", mode, "other-core", 0, i * 2, 0, latency, cost));
                rows.Add(new WakeMeasurement("adaptive", mode, "other-core", 20, 1, i * 0.2, latency, cost));
            }
        }

        return rows;
    }

    [GeneratedRegex("<svg[ >]")]
    private static partial Regex SvgElement();

    [GeneratedRegex("<svg[ >].*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgBlock();
}
