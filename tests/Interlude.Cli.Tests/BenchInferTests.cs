using System.Text.Json;
using Interlude.Cli.Tests.Infrastructure;
using Interlude.Harness.Tests.Infrastructure;
using Interlude.Inference.Vision;
using Xunit;

namespace Interlude.Cli.Tests;

/// <summary>
/// <c>interlude bench infer</c> end to end, cut shorter than --quick: a closed and an open row for every mode of every
/// model (the face model's without batching, its batch being fixed at one image), well-formed; no timing checked.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class BenchInferTests : IDisposable
{
    private static readonly string[] s_modes = ["aspnet-ort", "blocking", "busywait", "threadpool-async", "interlude", "interlude-batching"];

    private static readonly string[] s_faceModes = ["aspnet-ort", "blocking", "busywait", "threadpool-async", "interlude"];

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [H2loadFact]
    public async Task A_short_run_writes_a_closed_and_an_open_row_for_every_mode_of_every_model_and_the_ratios()
    {
        string json = _directory.File("infer.jsonl");
        string html = _directory.File("infer.html");
        // The face model needs its files (scripts/fetch-models.sh); without them the embeddings alone are run.
        bool faces = ModelFiles.TryLocate(BlazeFaceModel.Front, out _);

        CliRun run = await CommandLine.RunInAsync(
            _directory.Path, "bench", "infer", "--model", faces ? "all" : "embed", "--quick", "--requests", "48", "--clients", "8", "--warmup", "8",
            "--open-seconds", "1", "--open-clients", "4", "--json", json, "--html", html);

        Assert.True(run.ExitCode == 0, run.Transcript);
        List<JsonElement> rows = File.ReadAllLines(json).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        List<JsonElement> embed = rows.Where(r => r.GetProperty("model").GetString() == "all-MiniLM-L6-v2").ToList();
        Assert.Equal(s_modes, embed.Where(r => r.GetProperty("phase").GetString() == "closed").Select(r => r.GetProperty("mode").GetString()));
        Assert.Equal(s_modes, embed.Where(r => r.GetProperty("phase").GetString() == "open").Select(r => r.GetProperty("mode").GetString()));
        if (faces)
        {
            List<JsonElement> detect = rows.Where(r => r.GetProperty("model").GetString() == "blazeface-front-128").ToList();
            Assert.Equal(s_faceModes, detect.Where(r => r.GetProperty("phase").GetString() == "closed").Select(r => r.GetProperty("mode").GetString()));
            Assert.Equal(s_faceModes, detect.Where(r => r.GetProperty("phase").GetString() == "open").Select(r => r.GetProperty("mode").GetString()));
            Assert.Contains("interlude-batching  left out: not meaningful", run.Output, StringComparison.Ordinal);
        }

        Assert.Equal(rows.Count, embed.Count + (faces ? s_faceModes.Length * 2 : 0));
        Assert.All(rows.Where(r => r.GetProperty("phase").GetString() == "open"), r => Assert.Equal("poisson", r.GetProperty("arrivals").GetString()));
        foreach (JsonElement row in rows)
        {
            Assert.Equal(JsonValueKind.Null, row.GetProperty("error").ValueKind);
            Assert.True(row.GetProperty("succeeded").GetInt64() > 0, row.ToString());
            Assert.Equal(0, row.GetProperty("failed").GetInt64());
            Assert.True(row.GetProperty("p50_us").GetDouble() <= row.GetProperty("p99_us").GetDouble(), row.ToString());
            Assert.True(row.GetProperty("p99_us").GetDouble() <= row.GetProperty("p999_us").GetDouble(), row.ToString());
            bool device = row.GetProperty("device").GetBoolean();
            Assert.Equal(device, row.GetProperty("device_utilization").ValueKind == JsonValueKind.Number);
            long batched = row.GetProperty("batch_sizes").EnumerateObject().Sum(size => long.Parse(size.Name, System.Globalization.CultureInfo.InvariantCulture) * size.Value.GetInt64());
            // blocking and busywait serve from a handler of the bench's own, without the server's statistics endpoint.
            bool counted = device && row.GetProperty("mode").GetString() is not ("blocking" or "busywait");
            Assert.Equal(counted ? row.GetProperty("succeeded").GetInt64() : 0, batched);
        }

        Assert.All(
            rows.Where(r => r.GetProperty("mode").GetString() is "threadpool-async" or "interlude"),
            r => Assert.Equal(["1"], r.GetProperty("batch_sizes").EnumerateObject().Select(size => size.Name)));
        Assert.Contains("interlude-batching requests/s ÷ aspnet-ort requests/s", run.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(faces ? _directory.File("infer-embed.html") : html));
        Assert.Equal(faces, File.Exists(_directory.File("infer-detect.html")));
    }

    [Fact]
    public async Task An_unknown_mode_is_a_parse_error_naming_the_choices()
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "infer", "--modes", "interlude,turbo");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--modes: unknown value 'turbo'", run.Error, StringComparison.Ordinal);
    }
}
