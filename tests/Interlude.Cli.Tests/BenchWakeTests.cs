using System.Text.Json;
using Interlude.Cli.Tests.Infrastructure;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cli.Tests;

/// <summary><c>interlude bench wake</c> end to end in its quick form: every row it promises, well-formed, no timing checked.</summary>
[Collection(AloneCollection.Name)]
public sealed class BenchWakeTests : IDisposable
{
    private static readonly string[] s_fields =
    [
        "section", "mode", "placement", "gap_us", "queues", "load", "samples", "p50_us", "p99_us", "p999_us", "max_us", "busy_fraction",
        "cpu_us_per_op", "csw_per_op", "loop_sleeps_per_op", "alloc_bytes_per_op",
    ];

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_quick_run_writes_a_row_for_every_mode_gap_queue_count_and_load()
    {
        string json = _directory.File("wake.jsonl");
        string html = _directory.File("wake.html");

        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "wake", "--quick", "--json", json, "--html", html);

        Assert.True(run.ExitCode == 0, run.Transcript);
        List<JsonElement> rows = File.ReadAllLines(json).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        foreach (JsonElement row in rows)
        {
            Assert.All(s_fields, field => Assert.True(row.TryGetProperty(field, out _), $"missing {field} in {row}"));
            Assert.True(row.GetProperty("samples").GetInt64() > 0, row.ToString());
            Assert.True(row.GetProperty("p50_us").GetDouble() <= row.GetProperty("p99_us").GetDouble(), row.ToString());
            Assert.InRange(row.GetProperty("busy_fraction").GetDouble(), 0, 1);
        }

        bool twoCores = Environment.ProcessorCount > 1; // the affinity mask's count on Linux
        string[] pingModes = twoCores
            ? ["raw-handoff", "poll", "naive-interrupt", "interlude-interrupt", "adaptive", "dispatcher", "blocking"]
            : ["interlude-interrupt", "dispatcher", "blocking"];
        foreach (int gap in new[] { 0, 50, 200, 1000 })
        {
            foreach (string mode in pingModes)
            {
                Assert.Contains(rows, r => Is(r, "ping", mode) && r.GetProperty("gap_us").GetInt32() == gap);
            }

            Assert.Contains(rows, r => Is(r, "ping", "interlude-interrupt") && r.GetProperty("placement").GetString() == "same-core" && r.GetProperty("gap_us").GetInt32() == gap);
        }

        Assert.Contains(rows, r => r.GetProperty("section").GetString() == "primitives" && r.GetProperty("mode").GetString() == "fastwake");
        foreach (int queues in new[] { 1, 16, 256 })
        {
            Assert.Contains(rows, r => Is(r, "queues", "summary") && r.GetProperty("queues").GetInt32() == queues);
            Assert.Contains(rows, r => Is(r, "queues", "linear-scan") && r.GetProperty("queues").GetInt32() == queues);
        }

        foreach (double load in new[] { 0.05, 0.2, 0.4, 0.6 })
        {
            foreach (string mode in new[] { "poll", "interlude-interrupt", "adaptive" })
            {
                Assert.Contains(rows, r => Is(r, "adaptive", mode) && r.GetProperty("load").GetDouble() == load);
            }
        }

        foreach (int delay in new[] { 10, 30, 100, 300 })
        {
            foreach (string mode in new[] { "kernel-slack", "loop-slack" })
            {
                Assert.Contains(rows, r => Is(r, "timers", mode) && r.GetProperty("gap_us").GetInt32() == delay);
            }
        }

        string page = File.ReadAllText(html);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Ratios", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_section_is_rejected_by_name_and_nothing_runs()
    {
        string json = _directory.File("wake.jsonl");

        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "wake", "--sections", "ping,bogus", "--json", json);

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("bogus", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(json));
        Assert.Empty(_directory.Entries());
    }

    [Fact]
    public async Task The_adaptive_sweep_runs_the_chosen_loads_and_prints_both_targets_for_each()
    {
        string json = _directory.File("wake.jsonl");
        string html = _directory.File("wake.html");

        CliRun run = await CommandLine.RunInAsync(
            _directory.Path, "bench", "wake", "--sections", "adaptive", "--quick", "--loads", "0.05,0.3", "--spin-budget", "0.2", "--enter-polling-load", "1", "--json", json, "--html", html);

        Assert.True(run.ExitCode == 0, run.Transcript);
        List<JsonElement> rows = File.ReadAllLines(json).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal([0.05, 0.3], rows.Select(r => r.GetProperty("load").GetDouble()).Distinct().Order());
        foreach (string load in new[] { "0.05", "0.30" })
        {
            Assert.Matches($@"load {load}: adaptive p50 [0-9.]+ us vs poll [0-9.]+ us \+ 2 = [0-9.]+: (met|not met)", run.Output);
            Assert.Matches($@"load {load}: adaptive busy [0-9.]+ vs max\(interrupt [0-9.]+ \+ 0.10, 0.25\) = [0-9.]+: (met|not met)", run.Output);
        }
    }

    [Fact]
    public async Task The_timers_section_compares_both_slacks_at_every_delay_and_prints_their_ratio()
    {
        string json = _directory.File("wake.jsonl");
        string html = _directory.File("wake.html");

        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "wake", "--sections", "timers", "--quick", "--json", json, "--html", html);

        Assert.True(run.ExitCode == 0, run.Transcript);
        List<JsonElement> rows = File.ReadAllLines(json).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(rows, r => Assert.Equal("timers", r.GetProperty("section").GetString()));
        Assert.Equal(8, rows.Count);
        foreach (JsonElement row in rows)
        {
            // Every sample is one sleep: the loop slept for each timer it awaited.
            Assert.True(row.GetProperty("loop_sleeps_per_op").GetDouble() > 0.5, row.ToString());
        }

        foreach (int delay in new[] { 10, 30, 100, 300 })
        {
            Assert.Matches($@"timer {delay} us: lateness with the loop's slack / the kernel's p50 [0-9.]+ \([0-9.]+ / [0-9.]+ us\), p99 [0-9.]+", run.Output);
        }

        Assert.Contains("Timers: lateness", File.ReadAllText(html), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--loads", "0.05,1.5")]
    [InlineData("--spin-budget", "2")]
    [InlineData("--spin-budget", "NaN")]
    [InlineData("--enter-polling-load", "1.5")]
    public async Task An_out_of_range_load_or_spin_budget_is_rejected_and_nothing_runs(string option, string value)
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "wake", "--sections", "adaptive", option, value);

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains(option, run.Error, StringComparison.Ordinal);
        Assert.Empty(_directory.Entries());
    }

    private static bool Is(JsonElement row, string section, string mode)
        => row.GetProperty("section").GetString() == section && row.GetProperty("mode").GetString() == mode;
}
