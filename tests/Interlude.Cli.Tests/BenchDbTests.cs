using System.Text.Json;
using Interlude.Cli.Tests.Infrastructure;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cli.Tests;

/// <summary><c>interlude bench db</c>: its argument errors, and a tiny run end to end against the real database; no timing checked.</summary>
[Collection(AloneCollection.Name)]
public sealed class BenchDbTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task An_unknown_endpoint_is_refused_by_name_before_anything_runs()
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "db", "--endpoints", "db,nope");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'nope' is not an endpoint", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Output);
    }

    [Fact]
    public async Task A_variant_environment_without_a_value_is_refused()
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "db", "--variant-env", "JUSTANAME");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'JUSTANAME' is not NAME=value", run.Error, StringComparison.Ordinal);
    }

    [DbBenchFact]
    public async Task A_tiny_run_measures_every_endpoint_on_every_server_and_writes_the_ratios()
    {
        string json = _directory.File("db.jsonl");
        CliRun run = await CommandLine.RunInAsync(
            _directory.Path, "bench", "db", "--endpoints", "plaintext,fortunes", "-n", "100", "-c", "4", "--rounds", "2", "--warmup", "0",
            "--open-fraction", "0.2", "--open-seconds", "1", "--variant-arg=--Interlude:Loops:LoopCount=1", "--json", json);

        Assert.True(run.ExitCode == 0, run.Transcript);
        List<JsonElement> lines = [.. File.ReadAllLines(json).Select(l => JsonDocument.Parse(l).RootElement)];
        List<JsonElement> phases = [.. lines.Where(l => l.GetProperty("kind").GetString() == "phase")];

        // 2 rounds x 2 endpoints x 3 servers x (closed + open).
        Assert.Equal(24, phases.Count);
        Assert.All(phases, p => Assert.Equal(0, p.GetProperty("failed").GetInt64()));
        Assert.All(phases.Where(p => p.GetProperty("load").GetString() == "closed"), p => Assert.Equal(100, p.GetProperty("requests").GetInt64()));
        // /proc counts CPU in 10 ms ticks, and 100 plaintext requests can take less than one: each phase counts none
        // or more, and each server's phases together count some.
        Assert.All(phases, p => Assert.True(p.GetProperty("cpuUsPerRequest").GetDouble() >= 0, "negative server CPU"));
        Assert.All(
            phases.GroupBy(p => p.GetProperty("server").GetString()),
            server => Assert.True(server.Sum(p => p.GetProperty("cpuUsPerRequest").GetDouble()) > 0, $"no CPU counted for {server.Key}"));
        Assert.Equal(
            ["interlude", "interlude-variant", "kestrel-sockets"],
            phases.Select(p => p.GetProperty("server").GetString()).Distinct().Order());

        // Round 1 starts with Kestrel sockets, round 2 ends with it.
        string[] round2 = [.. phases.Where(p => p.GetProperty("round").GetInt32() == 2 && p.GetProperty("endpoint").GetString() == "plaintext" && p.GetProperty("load").GetString() == "closed").Select(p => p.GetProperty("server").GetString()!)];
        Assert.Equal(["interlude-variant", "interlude", "kestrel-sockets"], round2);

        Assert.Equal(12, lines.Count(l => l.GetProperty("kind").GetString() == "summary"));
        Assert.Equal(10, lines.Count(l => l.GetProperty("kind").GetString() == "ratio"));
        Assert.Contains("fortunes (closed loop): interlude / kestrel-sockets requests/s", run.Output, StringComparison.Ordinal);

        // The header says what each server got: the Interlude ones their socket completions inline, the variant its argument after that.
        Assert.Contains("  kestrel-sockets   --transport sockets" + Environment.NewLine, run.Output, StringComparison.Ordinal);
        Assert.Contains("  interlude         --transport interlude --Interlude:InlineSocketCompletions=true" + Environment.NewLine, run.Output, StringComparison.Ordinal);
        Assert.Contains("  interlude-variant --transport interlude --Interlude:InlineSocketCompletions=true --Interlude:Loops:LoopCount=1" + Environment.NewLine, run.Output, StringComparison.Ordinal);
    }
}
