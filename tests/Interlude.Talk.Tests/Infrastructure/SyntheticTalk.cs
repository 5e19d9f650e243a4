using System.Text.Json;
using Interlude.Talk.Engines;
using Interlude.Talk.Pipeline;
using Interlude.Talk.Tools;

namespace Interlude.Talk.Tests.Infrastructure;

/// <summary>
/// The synthetic talk (scripts/make-synthetic-talk.sh), generated once per test run, and one run of the pipeline
/// over it with pocketsphinx and the term pass. Both happen on first use, so that a machine without the tools
/// only skips the tests that need them.
/// </summary>
public sealed class SyntheticTalk : IDisposable
{
    private readonly Lazy<State> _state;

    public SyntheticTalk()
    {
        Directory = Path.Combine(Path.GetTempPath(), "interlude-talk-tests-" + Environment.ProcessId);
        _state = new Lazy<State>(Create, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Directory { get; }

    public string Video => Path.Combine(Directory, "talk", "talk.mp4");

    public string OutputDirectory => Path.Combine(Directory, "out");

    public IReadOnlyList<ReferenceSlide> Reference => _state.Value.Reference;

    public IReadOnlyList<string> ProperNouns => _state.Value.ProperNouns;

    internal TalkResult Result => _state.Value.Result;

    /// <summary>The progress lines the run printed.</summary>
    public IReadOnlyList<string> Progress => _state.Value.Progress;

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>A copy of the first <paramref name="seconds"/> of the talk, made with ffmpeg (<paramref name="extra"/>: more arguments, such as -an).</summary>
    public string Clip(string name, double seconds, params string[] extra)
    {
        _ = _state.Value; // the talk is generated on first use
        string path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            ExternalTool.RunChecked(
                "ffmpeg",
                ["-v", "error", "-y", "-i", Video, "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra, "-c", "copy", path],
                "making a clip",
                CancellationToken.None);
        }

        return path;
    }

    private State Create()
    {
        string talk = Path.Combine(Directory, "talk");
        ToolResult generated = ExternalTool.Run("bash", [Repository.PathOf("scripts/make-synthetic-talk.sh"), talk], CancellationToken.None);
        if (generated.ExitCode != 0)
        {
            throw new InvalidOperationException($"make-synthetic-talk.sh failed ({generated.ExitCode}): {generated.StandardError}");
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(talk, "talk.json")));
        var reference = json.RootElement.GetProperty("slides").EnumerateArray()
            .Select(s => new ReferenceSlide(
                s.GetProperty("index").GetInt32(),
                s.GetProperty("start").GetDouble(),
                s.GetProperty("end").GetDouble(),
                s.GetProperty("heading").GetString()!,
                [.. s.GetProperty("lines").EnumerateArray().Select(l => l.GetString()!)],
                s.GetProperty("narration").GetString()!))
            .ToArray();
        string[] nouns = [.. json.RootElement.GetProperty("properNouns").EnumerateArray().Select(n => n.GetString()!)];

        var progress = new List<string>();
        var options = new TalkOptions(Video, OutputDirectory, new EngineSettings(EngineCatalog.PocketSphinx, EngineCatalog.Terms));
        TalkResult result = TalkPipeline.RunAsync(options, line => { lock (progress) { progress.Add(line); } }, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(5)).GetAwaiter().GetResult();
        return new State(reference, nouns, result, progress);
    }

    private sealed record State(IReadOnlyList<ReferenceSlide> Reference, IReadOnlyList<string> ProperNouns, TalkResult Result, IReadOnlyList<string> Progress);
}
