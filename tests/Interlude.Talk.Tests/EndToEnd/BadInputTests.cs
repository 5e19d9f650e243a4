using Interlude.Talk.Engines;
using Interlude.Talk.Pipeline;
using Interlude.Talk.Tests.Infrastructure;
using Xunit;

namespace Interlude.Talk.Tests.EndToEnd;

/// <summary>Inputs and engines that fail: a clear one-line message, and what can still be made is made.</summary>
[Collection(SyntheticTalkCollection.Name)]
public sealed class BadInputTests(SyntheticTalk talk) : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "interlude-talk-bad-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [TalkToolsFact]
    public async Task A_text_file_is_not_a_readable_video()
    {
        string text = Path.Combine(Path.GetTempPath(), $"interlude-talk-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(text, "not a video\n");
        try
        {
            var options = new TalkOptions(text, _out, new EngineSettings());
            TalkEngineException e = await Assert.ThrowsAsync<TalkEngineException>(() => TalkPipeline.RunAsync(options, _ => { }, CancellationToken.None));
            Assert.Contains("not a readable video", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            File.Delete(text);
        }
    }

    [TalkToolsFact]
    public async Task A_video_without_audio_still_gives_slides_and_their_text()
    {
        string silent = talk.Clip("silent.mp4", 17.0, "-an");
        var options = new TalkOptions(silent, _out, new EngineSettings());
        TalkResult result = await TalkPipeline.RunAsync(options, _ => { }, CancellationToken.None);

        Assert.Equal(2, result.Slides.Count);
        Assert.Contains(result.Problems, p => p.Contains("no audio stream", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_out, "slides", "001.png")));
        Assert.Contains("Why loops", await File.ReadAllTextAsync(Path.Combine(_out, "slides", "001.ocr.txt")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_out, "slides", "001.raw.txt")));
        Assert.True(File.Exists(Path.Combine(_out, "talk.html")));
    }

    [TalkToolsFact]
    public async Task A_failing_corrector_keeps_the_raw_transcript_and_says_so()
    {
        string clip = talk.Clip("two-slides.mp4", 17.0);
        using var recognizer = new FixedRecognizer("the inter lewd runtime");
        using var corrector = new FailingCorrector();
        var problems = new List<string>();
        TalkResult result = await TalkPipeline.RunAsync(new TalkOptions(clip, _out, new EngineSettings()), recognizer, corrector, problems, _ => { }, CancellationToken.None);

        Assert.Equal(2, result.Slides.Count);
        Assert.All(result.Slides, s => Assert.Equal("the inter lewd runtime", s.CorrectedTranscript));
        Assert.Equal(2, result.Problems.Count(p => p.Contains("the model crashed", StringComparison.Ordinal)));
        Assert.Equal("the inter lewd runtime\n", await File.ReadAllTextAsync(Path.Combine(_out, "slides", "000.corrected.txt")));
    }

    [Fact]
    public void A_missing_model_file_is_named()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N") + ".bin");
        Assert.Equal($"--whisper-model: {missing}: no such file.", EngineCatalog.Validate(new EngineSettings(EngineCatalog.Whisper, WhisperModel: missing)));
        Assert.Equal($"--llama-model: {missing}: no such file.", EngineCatalog.Validate(new EngineSettings(Correct: EngineCatalog.Llama, LlamaModel: missing)));
    }

    private sealed class FixedRecognizer(string text) : ISpeechRecognizer
    {
        public string Name => "fixed";

        public string Transcribe(ReadOnlySpan<float> samples, string language, CancellationToken cancellationToken) => text;

        public void Dispose()
        {
        }
    }

    private sealed class FailingCorrector : ITranscriptCorrector
    {
        public string Name => "failing";

        public string Correct(CorrectionRequest request, CancellationToken cancellationToken) => throw new TalkEngineException("the model crashed");

        public void Dispose()
        {
        }
    }
}
