using Interlude.Talk.Engines;
using Interlude.Talk.Pipeline;
using Interlude.Talk.Tests.Engines.Models;
using Interlude.Talk.Tests.Infrastructure;
using Xunit;

namespace Interlude.Talk.Tests.EndToEnd;

/// <summary>
/// The Whisper and llama.cpp engines, chosen by name as the command line does, run in the pipeline over the start of
/// the generated talk on generated model files: random Whisper weights (their words are noise: this proves loading
/// and plumbing) and a llama model programmed to answer one sentence (proving the corrector's answer reaches each
/// slide's output).
/// </summary>
[Collection(SyntheticTalkCollection.Name)]
public sealed class ModelEngineTests(SyntheticTalk talk) : IDisposable
{
    private readonly GeneratedModelFolder _models = new();
    private readonly string _out = Path.Combine(Path.GetTempPath(), "interlude-talk-models-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _models.Dispose();
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [TalkToolsFact]
    public async Task Whisper_and_llama_chosen_by_name_carry_every_slide_through_the_pipeline()
    {
        string clip = talk.Clip("first-two-slides.mp4", 12);
        var engines = new EngineSettings(EngineCatalog.Whisper, EngineCatalog.Llama, WhisperModel: _models.WhisperModel, LlamaModel: _models.LlamaScriptedModel);
        Assert.Null(EngineCatalog.Validate(engines));

        TalkResult result = await TalkPipeline.RunAsync(new TalkOptions(clip, _out, engines), _ => { }, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        Assert.Empty(result.Problems);
        Assert.Equal(2, result.Slides.Count);
        foreach (SlideResult slide in result.Slides)
        {
            Assert.NotNull(slide.RawTranscript);
            Assert.Equal("the Interlude runtime", slide.CorrectedTranscript);
            Assert.Equal("the Interlude runtime\n", await File.ReadAllTextAsync(Path.Combine(_out, "slides", slide.Slide.Name + ".corrected.txt")));
        }
    }

    [TalkToolsFact]
    public async Task A_whisper_file_that_is_not_a_model_leaves_the_slides_and_their_text()
    {
        string clip = talk.Clip("first-two-slides.mp4", 12);
        string notAModel = _models.WriteFile("not-a-model.bin", [1, 2, 3, 4, 5, 6, 7, 8]);
        var engines = new EngineSettings(EngineCatalog.Whisper, EngineCatalog.Terms, WhisperModel: notAModel);

        TalkResult result = await TalkPipeline.RunAsync(new TalkOptions(clip, _out, engines), _ => { }, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        string problem = Assert.Single(result.Problems);
        Assert.Contains(notAModel, problem, StringComparison.Ordinal);
        Assert.Equal(2, result.Slides.Count);
        Assert.All(result.Slides, s => Assert.False(string.IsNullOrWhiteSpace(s.OcrText)));
        Assert.All(result.Slides, s => Assert.True(File.Exists(Path.Combine(_out, "slides", s.Slide.Name + ".png"))));
    }
}
