using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Interlude.Harness.Measurement;
using Interlude.Harness.Reporting;
using Interlude.Harness.Workload;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed partial class HtmlReportTests
{
    private static readonly double[] s_offloads = [1, 10, 100, 1000];

    private static readonly (string Mode, string Title, double Efficiency, double Overhead)[] s_modes =
    [
        ("blocking", "Blocking", 0.35, 6.0),
        ("busywait", "BusyWait", 0.45, 9.0),
        ("threadpool", "ThreadPoolAsync", 0.65, 1.4),
        ("interlude", "Interlude", 0.93, 0.3),
    ];

    [Fact]
    public void EverySvgIsWellFormedXml()
    {
        string html = Render(SampleResults());

        List<string> svgs = Svgs(html);
        Assert.NotEmpty(svgs);
        foreach (string svg in svgs)
        {
            XElement element = XElement.Parse(svg);
            Assert.Equal("svg", element.Name.LocalName);
        }
    }

    [Fact]
    public void TheWholeDocumentParsesAsXml()
    {
        string html = Render(SampleResults());

        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        XDocument document = XDocument.Load(reader);

        Assert.Equal("html", document.Root!.Name.LocalName);
    }

    [Fact]
    public void HasOneChartPerViewAndOneCdfChartPerOffloadLatency()
    {
        string html = Render(SampleResults());

        List<string> titles = Svgs(html).Select(svg => XElement.Parse(svg).Element("title")!.Value).ToList();

        Assert.Equal(3 + s_offloads.Length, titles.Count);
        Assert.Single(titles, t => t.StartsWith("Throughput", StringComparison.Ordinal));
        Assert.Single(titles, t => t.StartsWith("CPU per request", StringComparison.Ordinal));
        Assert.Single(titles, t => t.StartsWith("Efficiency", StringComparison.Ordinal));
        foreach (double offload in s_offloads)
        {
            Assert.Single(titles, t => t == $"Latency CDF, L = {offload} us");
        }
    }

    [Fact]
    public void EveryChartHasOneSeriesPerMode()
    {
        string html = Render(SampleResults());

        string[] expected = s_modes.Select(m => m.Title).ToArray();
        foreach (string svg in Svgs(html))
        {
            string[] labels = SeriesGroups(XElement.Parse(svg), "series").Select(g => (string)g.Attribute("data-label")!).ToArray();
            Assert.Equal(expected, labels);
        }
    }

    [Fact]
    public void TheThroughputChartDrawsTheBoundDashed()
    {
        string html = Render(SampleResults());

        XElement throughput = Svgs(html).Select(XElement.Parse).Single(s => s.Element("title")!.Value.StartsWith("Throughput", StringComparison.Ordinal));
        XElement bound = Assert.Single(SeriesGroups(throughput, "reference"));
        Assert.Contains("min(1/c, N/(L+c))", (string)bound.Attribute("data-label")!, StringComparison.Ordinal);
        XElement path = Assert.Single(bound.Elements("path"));
        Assert.NotNull(path.Attribute("stroke-dasharray"));
        Assert.Equal(s_offloads.Length, ((string)path.Attribute("d")!).Count(c => c is 'M' or 'L'));
    }

    [Fact]
    public void TheBoundLineLeavesOutRunsWhoseConcurrencyWasCapped()
    {
        List<RunResult> results = SampleResults();
        RunResult capped = results.Single(r => r.Workload.Concurrency == 128);
        double full = results.Where(r => r.Workload.OffloadUs == capped.Workload.OffloadUs && r != capped).Average(r => r.Bound.RequestsPerSecond);
        Assert.True(capped.Bound.RequestsPerSecond < full * 0.9);

        // The capped run is neither the largest value nor at a new L, so both axes stay put and only its bound could move the line.
        string with = BoundPath(results);
        string without = BoundPath(results.Where(r => r != capped).ToList());

        Assert.Equal(without, with);
    }

    [Fact]
    public void TheHeaderGivesTheBoundFormulaAndTheContext()
    {
        string html = Render(SampleResults());

        Assert.Contains("min(1/c, N/(L+c))", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Interlude demo: four execution modes, one handler</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<code>interlude demo --quick</code>", html, StringComparison.Ordinal);
        Assert.Contains("Test machine, 2 logical CPUs", html, StringComparison.Ordinal);
        Assert.Contains("application on core 0", html, StringComparison.Ordinal);
        Assert.Contains("2026-11-22 08:00:00 UTC", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTableHasOneRowPerResult()
    {
        List<RunResult> results = SampleResults();
        string html = Render(results);

        XDocument document = Parse(html);
        XElement table = document.Descendants("table").Single();
        Assert.Equal(results.Count, table.Element("tbody")!.Elements("tr").Count());
        Assert.Equal(16, table.Element("thead")!.Descendants("th").Count());
    }

    [Fact]
    public void NeedsNothingFromOutsideTheFile()
    {
        string html = Render(SampleResults());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void EscapesTextEverywhere()
    {
        const string hostile = "Mode <&> \"quoted\" 'x'";
        List<RunResult> results = SampleResults(hostile);
        var context = Context() with { Machine = "<script>alert(1)</script> & more" };

        string html = HtmlReport.Render(results, context);

        Assert.DoesNotContain(hostile, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Mode &lt;&amp;&gt;", html, StringComparison.Ordinal);
        XDocument document = Parse(html);
        Assert.Contains(document.Descendants("td"), td => td.Value == hostile);
        foreach (string svg in Svgs(html))
        {
            Assert.Contains(SeriesGroups(XElement.Parse(svg), "series"), g => (string)g.Attribute("data-label")! == hostile);
        }
    }

    [Fact]
    public void WithoutResultsStillWritesAValidPage()
    {
        string html = Render([]);

        Assert.Contains("No results.", html, StringComparison.Ordinal);
        Assert.Empty(Svgs(html));
        Parse(html);
    }

    [Fact]
    public void WriteReplacesTheFileWholeAndLeavesNoTemporaryBehind()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"interlude-html-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var file = new FileInfo(Path.Combine(directory, "report.html"));
            File.WriteAllText(file.FullName, "old");

            HtmlReport.Write(file, SampleResults(), Context());

            string written = File.ReadAllText(file.FullName);
            Assert.StartsWith("<!DOCTYPE html>", written, StringComparison.Ordinal);
            Assert.Equal(["report.html"], Directory.GetFiles(directory).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Four modes at four offload latencies, with made-up but plausible figures and latency spreads.</summary>
    internal static List<RunResult> SampleResults(string? firstTitle = null)
    {
        const double cpuUs = 2;
        var random = new Random(42);
        var results = new List<RunResult>();
        foreach (double offload in s_offloads)
        {
            for (int m = 0; m < s_modes.Length; m++)
            {
                (string mode, string title, double efficiency, double overhead) = s_modes[m];
                // N grows with L as the sweep's does, and the first mode is capped at L = 1000 us, as thread-per-request modes can be.
                int concurrency = (int)Math.Max(64, Math.Ceiling(2 * (offload + cpuUs) / cpuUs));
                if (m == 0 && offload >= 1000)
                {
                    concurrency = 128;
                }

                var workload = new WorkloadSettings(offload, cpuUs, concurrency, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50));
                double cpuNs = (cpuUs + (random.NextDouble() * 0.1)) * 1000;
                ThroughputBound bound = ThroughputBound.Compute(cpuNs, offload * 1000, concurrency, cores: 1);
                double throughput = bound.RequestsPerSecond * Math.Min(1, efficiency + (Math.Log10(offload) * 0.03));
                var elapsed = TimeSpan.FromSeconds(2);
                long requests = (long)(throughput * elapsed.TotalSeconds);

                // Latency: offload + work, plus a queueing delay whose spread grows with the mode's overhead.
                var latency = new LatencyHistogram();
                double baseUs = offload + (cpuNs / 1000);
                for (int i = 0; i < 20_000; i++)
                {
                    double extraUs = -Math.Log(1 - random.NextDouble()) * overhead * (1 + (offload / 50));
                    double queueUs = concurrency / Math.Max(throughput, 1) * 1e6 * 0.5 * random.NextDouble();
                    latency.Record((long)((baseUs + extraUs + queueUs) * Stopwatch.Frequency / 1e6));
                }

                results.Add(new RunResult
                {
                    Mode = mode,
                    Title = m == 0 && firstTitle is not null ? firstTitle : title,
                    Workload = workload,
                    CpuWorkNs = cpuNs,
                    CpuWorkBeforeNs = cpuNs * 0.98,
                    CpuWorkAfterNs = cpuNs * 1.02,
                    Bound = bound,
                    ApplicationCores = 1,
                    Requests = requests,
                    Elapsed = elapsed,
                    Latency = latency,
                    ProcessUsage = default,
                    ApplicationUsage = default,
                    MachineUsage = default,
                    Loops = mode == "interlude" ? new LoopActivity(requests / 50, requests / 60, elapsed * 0.9) : null,
                    AllocatedBytes = requests * 64,
                    Gen0Collections = 3,
                    Stalls = 0,
                });
            }
        }

        return results;
    }

    internal static HtmlReportContext Context()
        => new(
            "Interlude demo: four execution modes, one handler",
            "Test machine, 2 logical CPUs; Linux",
            "application on core 0; simulated device on core 1",
            "c = 2 us of CPU work per request, N = 64 in flight (closed loop), 2 s measured per configuration",
            new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero))
        {
            CommandLine = "interlude demo --quick",
            Notes = ["CPU us/req: getrusage over the measured period."],
        };

    private static string Render(IReadOnlyList<RunResult> results) => HtmlReport.Render(results, Context());

    private static string BoundPath(IReadOnlyList<RunResult> results)
    {
        XElement throughput = Svgs(Render(results)).Select(XElement.Parse).Single(s => s.Element("title")!.Value.StartsWith("Throughput", StringComparison.Ordinal));
        return (string)SeriesGroups(throughput, "reference").Single().Element("path")!.Attribute("d")!;
    }

    private static List<string> Svgs(string html) => SvgElement().Matches(html).Select(m => m.Value).ToList();

    private static IEnumerable<XElement> SeriesGroups(XElement svg, string kind)
        => svg.Descendants("g").Where(g => (string?)g.Attribute("class") == kind);

    private static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    [GeneratedRegex("<svg[\\s>].*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();
}
