using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Interlude.Harness.Inference;
using Interlude.Harness.Reporting;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Harness.Tests;

/// <summary><c>bench infer</c>'s JSON Lines and HTML report, from made-up results.</summary>
public sealed class InferReportTests : IDisposable
{
    /// <summary>Every field each JSON line promises.</summary>
    public static readonly string[] Fields =
    [
        "mode", "phase", "error", "model", "device", "max_batch_size", "max_queue_delay_us", "clients", "loop_core", "device_core", "cores", "requests",
        "succeeded", "failed", "offered_per_s", "requests_per_s", "p50_us", "p99_us", "p999_us", "app_cpu_us_per_request", "device_utilization",
        "device_cpu_utilization", "average_batch_size", "batch_sizes", "arrivals", "ratio_batching_to_aspnet_throughput", "ratio_batching_to_aspnet_p99",
        "ratio_interlude_to_threadpool_throughput", "ratio_interlude_to_threadpool_cpu", "ratio_open_batching_minus_interlude_p50_us",
    ];

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Json_lines_hold_a_closed_and_an_open_object_per_mode_with_every_field()
    {
        string path = _directory.File("infer.jsonl");
        IReadOnlyList<InferModeResult> results = InferSamples.All();

        InferJsonWriter.Write(new FileInfo(path), results, InferRatio.Compute(results, InferSamples.Settings.MaxQueueDelay), InferSamples.Settings);

        JsonElement[] rows = JsonLines.ReadObjects(path);
        Assert.Equal(InferModes.All.Count * 2, rows.Length);
        Assert.Equal(InferModes.All, rows.Where(r => r.GetProperty("phase").GetString() == "closed").Select(r => r.GetProperty("mode").GetString()));
        Assert.Equal(InferModes.All, rows.Where(r => r.GetProperty("phase").GetString() == "open").Select(r => r.GetProperty("mode").GetString()));
        Assert.All(rows, row => Assert.All(Fields, field => Assert.True(row.TryGetProperty(field, out _), $"missing {field} in {row}")));
        Assert.Equal(Fields.Length, rows[0].EnumerateObject().Count());
    }

    [Fact]
    public void Json_carries_the_figures_the_batch_sizes_and_the_ratios()
    {
        string path = _directory.File("infer.jsonl");
        IReadOnlyList<InferModeResult> results = InferSamples.All();

        InferJsonWriter.Write(new FileInfo(path), results, InferRatio.Compute(results, InferSamples.Settings.MaxQueueDelay), InferSamples.Settings);

        JsonElement[] rows = JsonLines.ReadObjects(path);
        JsonElement batching = rows.Single(r => r.GetProperty("mode").GetString() == InferModes.InterludeBatching && r.GetProperty("phase").GetString() == "closed");
        Assert.Equal(300, batching.Number("requests_per_s"));
        Assert.Equal(5000, batching.Number("p50_us"));
        Assert.Equal(500, batching.Number("app_cpu_us_per_request"));
        Assert.Equal(32, batching.Number("max_batch_size"));
        Assert.Equal(500, batching.Number("max_queue_delay_us"));
        Assert.Equal(2, batching.GetProperty("batch_sizes").GetProperty("1").GetInt64());
        Assert.Equal(4, batching.GetProperty("batch_sizes").GetProperty("3").GetInt64());
        Assert.Equal(3, batching.Number("ratio_batching_to_aspnet_throughput"));
        Assert.Equal(JsonValueKind.Null, batching.GetProperty("offered_per_s").ValueKind);
        JsonElement aspnet = rows.Single(r => r.GetProperty("mode").GetString() == InferModes.AspNetOrt && r.GetProperty("phase").GetString() == "open");
        Assert.Equal(150, aspnet.Number("offered_per_s"));
        Assert.False(aspnet.GetProperty("device").GetBoolean());
        Assert.Equal(1, aspnet.Number("max_batch_size"));
        Assert.Equal(JsonValueKind.Null, aspnet.GetProperty("device_utilization").ValueKind);
        Assert.Equal(JsonValueKind.Null, aspnet.GetProperty("average_batch_size").ValueKind);
    }

    [Fact]
    public void Each_line_names_its_model_and_carries_that_models_ratios()
    {
        IReadOnlyList<InferModeResult> embed = InferSamples.All();
        List<InferModeResult> results = [.. embed, .. embed.Where(r => r.Mode != InferModes.InterludeBatching).Select(r => r with { Model = InferModels.Detect })];

        IReadOnlyList<string> lines = InferJsonWriter.ToLines(results, InferRatio.Compute(results, TimeSpan.Zero), InferSamples.Settings);

        JsonElement[] rows = [.. lines.Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.Equal(12, rows.Count(r => r.GetProperty("model").GetString() == "all-MiniLM-L6-v2"));
        JsonElement[] faces = [.. rows.Where(r => r.GetProperty("model").GetString() == "blazeface-front-128")];
        Assert.Equal(10, faces.Length);
        Assert.All(faces, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("ratio_batching_to_aspnet_throughput").ValueKind));
        Assert.All(faces, r => Assert.Equal(1.5, r.Number("ratio_interlude_to_threadpool_throughput")));
        Assert.Equal("poisson", faces.First(r => r.GetProperty("phase").GetString() == "open").GetProperty("arrivals").GetString());
        Assert.Equal(JsonValueKind.Null, faces.First(r => r.GetProperty("phase").GetString() == "closed").GetProperty("arrivals").ValueKind);
    }

    [Fact]
    public void A_mode_that_failed_has_one_line_with_its_error_and_null_figures()
    {
        List<InferModeResult> results = [InferModeResult.Failure(InferModes.Interlude, "no loop")];

        IReadOnlyList<string> lines = InferJsonWriter.ToLines(results, InferRatio.Compute(results, TimeSpan.Zero), InferSamples.Settings);

        JsonElement row = JsonDocument.Parse(Assert.Single(lines)).RootElement;
        Assert.Equal("no loop", row.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("requests_per_s").ValueKind);
    }

    [Fact]
    public void The_html_report_parses_as_xml_and_names_every_mode_and_ratio()
    {
        IReadOnlyList<InferModeResult> results = [.. InferSamples.All(), InferModeResult.Failure("extra", "it <broke>")];
        IReadOnlyList<InferRatio> ratios = InferRatio.Compute(results, TimeSpan.Zero);

        string html = InferHtmlReport.Render(results, ratios, new HtmlReportContext("bench infer", "test machine", "cores 0 and 1", "closed and open", DateTimeOffset.UnixEpoch)
        {
            CommandLine = "interlude bench infer --quick",
            Notes = InferHtmlReport.StandardNotes,
        });

        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        XDocument document = XDocument.Load(reader);
        Assert.Equal(2, document.Descendants().Count(e => e.Name.LocalName == "svg"));
        Assert.All(InferModes.All, mode => Assert.Contains(mode, html, StringComparison.Ordinal));
        Assert.All(ratios, ratio => Assert.Contains(ratio.Description, html, StringComparison.Ordinal));
        Assert.Contains("it &lt;broke&gt;", html, StringComparison.Ordinal);
        Assert.Contains("1×2 3×4", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_sizes_are_described_as_size_times_runs()
    {
        Assert.Equal("1×40 7×2", InferHtmlReport.DescribeBatches([0, 40, 0, 0, 0, 0, 0, 2]));
        Assert.Equal("-", InferHtmlReport.DescribeBatches([]));
    }
}
