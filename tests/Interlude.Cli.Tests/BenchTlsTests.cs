using System.Text.Json;
using Interlude.Cli.Tests.Infrastructure;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cli.Tests;

/// <summary><c>interlude bench tls</c> end to end in its quick form: a row for every mode and configuration, well-formed; no timing checked.</summary>
[Collection(AloneCollection.Name)]
public sealed class BenchTlsTests : IDisposable
{
    private static readonly string[] s_modes = ["kestrel-sockets", "software", "offload-sync", "offload-busy", "offload-async"];

    private static readonly string[] s_configurations = ["rsa2048/tls1.3", "rsa2048/tls1.2", "ecdsa-p256/tls1.3", "ecdsa-p256/tls1.2"];

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [H2loadFact]
    public async Task A_quick_run_writes_a_row_for_every_mode_and_configuration_and_for_the_gateway_under_every_mode()
    {
        string json = _directory.File("tls.jsonl");
        string html = _directory.File("tls.html");

        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "tls", "--quick", "--json", json, "--html", html);

        Assert.True(run.ExitCode == 0, run.Transcript);
        List<JsonElement> all = File.ReadAllLines(json).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        List<JsonElement> rows = all.Where(r => r.GetProperty("section").GetString() == "handshakes").ToList();
        List<JsonElement> gateway = all.Where(r => r.GetProperty("section").GetString() == "gateway").ToList();
        Assert.Equal(rows.Count + gateway.Count, all.Count);
        Assert.Equal(s_modes, gateway.Select(r => r.GetProperty("mode").GetString()));
        foreach (JsonElement row in gateway.Where(r => r.GetProperty("error").ValueKind == JsonValueKind.Null))
        {
            Assert.True(row.GetProperty("succeeded").GetInt64() > 0, row.ToString());
            Assert.True(row.GetProperty("p50_us").GetDouble() <= row.GetProperty("p99_us").GetDouble(), row.ToString());
        }

        foreach (string configuration in s_configurations)
        {
            Assert.Equal(s_modes, rows.Where(r => r.GetProperty("configuration").GetString() == configuration).Select(r => r.GetProperty("mode").GetString()));
        }

        // The modes without an engine depend on nothing else being built; the offload modes are checked only where they ran.
        foreach (JsonElement row in rows.Where(r => r.GetProperty("error").ValueKind == JsonValueKind.Null))
        {
            Assert.True(row.GetProperty("succeeded").GetInt64() > 0, row.ToString());
            Assert.Equal(0, row.GetProperty("failed").GetInt64());
            Assert.True(row.GetProperty("server_handshakes").GetInt64() >= row.GetProperty("succeeded").GetInt64(), row.ToString());
            Assert.True(row.GetProperty("handshakes_per_s").GetDouble() > 0, row.ToString());
            Assert.True(row.GetProperty("keepalive_requests").GetInt64() > 0, row.ToString());
            Assert.Equal(row.GetProperty("tls_version").GetString() == "1.3" ? "TLSv1.3" : "TLSv1.2", row.GetProperty("tls_protocol").GetString());
        }

        Assert.Contains(rows, r => r.GetProperty("mode").GetString() == "software" && r.GetProperty("error").ValueKind == JsonValueKind.Null);
        Assert.Contains(rows, r => r.GetProperty("mode").GetString() == "kestrel-sockets" && r.GetProperty("error").ValueKind == JsonValueKind.Null);
        Assert.Contains("offload-async handshakes/s ÷ engine signatures/s", run.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(html));
    }

    [Fact]
    public async Task An_unknown_mode_is_a_parse_error_naming_the_choices()
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "tls", "--modes", "software,turbo");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--modes: unknown value 'turbo'", run.Error, StringComparison.Ordinal);
    }
}
