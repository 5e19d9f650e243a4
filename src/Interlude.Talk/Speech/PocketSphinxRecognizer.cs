using System.Text.Json;
using Interlude.Talk.Engines;
using Interlude.Talk.Tools;

namespace Interlude.Talk.Speech;

/// <summary>
/// Speech to text with CMU PocketSphinx's command-line tool and its US English model (Debian's
/// <c>pocketsphinx</c> and <c>pocketsphinx-en-us</c>): <c>pocketsphinx_continuous -infile</c> of the 0.8/5prealpha
/// releases (Debian 12), which prints one line per utterance, or, where only the 5.x tool is installed,
/// <c>pocketsphinx single</c>, which prints one JSON object per utterance. A real but weak recognizer: expect a
/// word error rate around a third on clear read speech and over half on synthetic voices.
/// </summary>
internal sealed class PocketSphinxRecognizer : ISpeechRecognizer
{
    private const string Classic = "pocketsphinx_continuous";
    private const string Modern = "pocketsphinx";

    private readonly string _tool;
    private readonly string _workDirectory;

    /// <summary>Finds the tool; throws <see cref="TalkEngineException"/> when neither is installed.</summary>
    public PocketSphinxRecognizer(string workDirectory)
    {
        _tool = ExternalTool.Find(Classic) is not null ? Classic
            : ExternalTool.Find(Modern) is not null ? Modern
            : throw new TalkEngineException("pocketsphinx is not installed (Debian: pocketsphinx and pocketsphinx-en-us; scripts/install-talk-tools.sh installs them).");
        _workDirectory = workDirectory;
    }

    public string Name => "pocketsphinx";

    public string Transcribe(ReadOnlySpan<float> samples, string language, CancellationToken cancellationToken)
    {
        if (language != "en")
        {
            throw new TalkEngineException($"pocketsphinx: only the US English model is installed, not '{language}'.");
        }

        if (samples.Length < AudioTrack.SampleRate / 10)
        {
            return string.Empty;
        }

        string wav = Path.Combine(_workDirectory, $"speech-{Environment.CurrentManagedThreadId}-{Guid.NewGuid():N}.wav");
        WaveFile.Write(wav, samples, AudioTrack.SampleRate);
        try
        {
            ToolResult result = _tool == Classic
                ? ExternalTool.RunChecked(Classic, ["-infile", wav, "-logfn", "/dev/null"], "pocketsphinx", cancellationToken)
                : ExternalTool.RunChecked(Modern, ["single", wav], "pocketsphinx", cancellationToken);
            return _tool == Classic ? JoinLines(result.Text) : JoinJson(result.Text);
        }
        finally
        {
            File.Delete(wav);
        }
    }

    public void Dispose()
    {
    }

    internal static string JoinLines(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Joins the <c>t</c> (text) fields of pocketsphinx 5's JSON lines.</summary>
    internal static string JoinJson(string text)
    {
        var parts = new List<string>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("t", out JsonElement t) && t.GetString() is { Length: > 0 } words)
            {
                parts.Add(words.Trim());
            }
        }

        return string.Join(' ', parts);
    }
}
