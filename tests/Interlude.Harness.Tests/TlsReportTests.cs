using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Interlude.Harness.Reporting;
using Interlude.Harness.Tests.Infrastructure;
using Interlude.Harness.Tls;
using Xunit;

namespace Interlude.Harness.Tests;

/// <summary><c>bench tls</c>'s JSON Lines and HTML report, from made-up results.</summary>
public sealed class TlsReportTests : IDisposable
{
    /// <summary>Every field each JSON line promises.</summary>
    public static readonly string[] Fields =
    [
        "section", "configuration", "certificate", "tls_version", "mode", "error", "rounds", "handshakes_per_round", "clients", "loop_core", "engine_core",
        "cores", "requests", "succeeded", "failed", "handshakes_per_s", "server_handshakes", "wall_s", "app_cpu_us_per_handshake",
        "engine_utilization", "h2load_cpu_utilization", "handshake_p50_us", "handshake_p99_us", "handshake_samples", "h2load_connect_mean_us", "keepalive_p50_us",
        "keepalive_p99_us", "keepalive_max_us", "keepalive_requests", "keepalive_errors", "tls_protocol", "cipher",
        "engine_capacity_signatures_per_s", "engine_capacity_busy", "bcl_signatures_per_s", "bcl_busy", "ratio_async_to_capacity", "ratio_async_to_sync",
        "ratio_async_to_software_cpu", "ratio_async_to_software_probe_p99",
    ];

    private static readonly TlsBenchSettings s_settings = new(
        TlsModes.All, [TlsSamples.Rsa13], 2000, 32, 1, 2, 200, 4, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2), 0, 1);

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Json_lines_hold_one_object_per_mode_with_every_field()
    {
        string path = _directory.File("tls.jsonl");

        TlsJsonWriter.Write(new FileInfo(path), [TlsSamples.Configuration()], [], s_settings);

        JsonElement[] rows = JsonLines.ReadObjects(path);
        Assert.Equal(TlsModes.All, rows.Select(r => r.GetProperty("mode").GetString()));
        Assert.All(rows, row => Assert.All(Fields, field => Assert.True(row.TryGetProperty(field, out _), $"missing {field} in {row}")));
        Assert.Equal(Fields.Length, rows[0].EnumerateObject().Count());
    }

    [Fact]
    public void Json_carries_the_figures_and_the_configurations_ratios()
    {
        string path = _directory.File("tls.jsonl");

        TlsJsonWriter.Write(new FileInfo(path), [TlsSamples.Configuration(capacity: 4000)], [], s_settings);

        JsonElement async = JsonLines.ReadObjects(path).Single(r => r.GetProperty("mode").GetString() == TlsModes.OffloadAsync);
        Assert.Equal(3600, async.Number("handshakes_per_s"));
        Assert.Equal(250, async.Number("app_cpu_us_per_handshake"));
        Assert.Equal(4000, async.Number("engine_capacity_signatures_per_s"));
        Assert.Equal(0.9, async.Number("ratio_async_to_capacity"));
        Assert.Equal(3, async.Number("ratio_async_to_sync"));
        Assert.Equal("rsa2048/tls1.3", async.GetProperty("configuration").GetString());
        Assert.Equal(JsonValueKind.Null, async.GetProperty("error").ValueKind);
    }

    [Fact]
    public void Gateway_rows_follow_the_handshake_rows_with_a_section_of_their_own()
    {
        string path = _directory.File("tls.jsonl");
        var gateway = new GatewayResult { Mode = TlsModes.Software, Requests = 100, Succeeded = 100, TokensPerSecond = 2000, P50Us = 900, P99Us = 3000, AppCpuUsPerRequest = 250 };

        TlsJsonWriter.Write(new FileInfo(path), [TlsSamples.Configuration()], [gateway, GatewayResult.Failure(TlsModes.OffloadAsync, "boom")], s_settings);

        JsonElement[] rows = JsonLines.ReadObjects(path);
        Assert.Equal(TlsModes.All.Count + 2, rows.Length);
        Assert.All(rows.Take(TlsModes.All.Count), r => Assert.Equal("handshakes", r.GetProperty("section").GetString()));
        JsonElement software = rows[^2];
        Assert.Equal("gateway", software.GetProperty("section").GetString());
        Assert.Equal(2000, software.Number("tokens_per_s"));
        Assert.Equal(3000, software.Number("p99_us"));
        Assert.Equal(250, software.Number("app_cpu_us_per_request"));
        Assert.Equal(JsonValueKind.Null, software.GetProperty("engine_utilization").ValueKind);
        Assert.Equal("boom", rows[^1].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, rows[^1].GetProperty("tokens_per_s").ValueKind);
    }

    [Fact]
    public void A_failed_mode_has_its_error_and_nulls_instead_of_numbers()
    {
        string line = TlsJsonWriter.ToLine(TlsSamples.Configuration(), TlsModeResult.Failure(TlsModes.OffloadBusy, TlsSamples.Rsa13, "boom"), s_settings);

        JsonElement row = JsonDocument.Parse(line).RootElement;
        Assert.Equal("boom", row.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("handshakes_per_s").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("app_cpu_us_per_handshake").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("engine_utilization").ValueKind);
    }

    [Fact]
    public void The_report_parses_as_xml_and_has_the_throughput_cpu_and_one_cdf_per_configuration()
    {
        string html = TlsHtmlReport.Render(
            [TlsSamples.Configuration(), TlsSamples.Configuration() with { Configuration = new TlsConfiguration(TlsCertificates.EcdsaP256, "1.2") }],
            [new GatewayResult { Mode = TlsModes.OffloadAsync, TokensPerSecond = 5000, P50Us = 800, P99Us = 2500 }, GatewayResult.Failure(TlsModes.Software, "gateway down")],
            new HtmlReportContext("bench tls", "test machine", "0 and 1", "made up", DateTimeOffset.UnixEpoch) { Notes = TlsHtmlReport.StandardNotes });

        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        XDocument document = XDocument.Load(reader);
        List<string> titles = document.Descendants().Where(e => e.Name.LocalName == "svg").Select(svg => svg.Element("title")!.Value).ToList();
        Assert.Equal(
            ["Full handshakes per second by mode", "App-core CPU per handshake by mode", "Keep-alive latency CDF, rsa2048/tls1.3", "Keep-alive latency CDF, ecdsa-p256/tls1.2"],
            titles);
        Assert.Contains("not measured: InvalidOperationException: made up", html, StringComparison.Ordinal);
        Assert.Contains("target ≥ 0.85: met", html, StringComparison.Ordinal);
        Assert.Contains("SecureGateway: POST /tokens", html, StringComparison.Ordinal);
        Assert.Contains("not measured: gateway down", html, StringComparison.Ordinal);
    }
}
