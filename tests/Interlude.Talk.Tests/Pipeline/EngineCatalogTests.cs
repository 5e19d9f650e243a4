using Interlude.Talk.Correction;
using Interlude.Talk.Engines;
using Xunit;

namespace Interlude.Talk.Tests.Pipeline;

public sealed class EngineCatalogTests
{
    [Fact]
    public void The_defaults_are_pocketsphinx_and_the_term_pass()
    {
        var settings = new EngineSettings();
        Assert.Null(EngineCatalog.Validate(settings));
        using ITranscriptCorrector? corrector = EngineCatalog.CreateCorrector(settings);
        Assert.IsType<TermCorrector>(corrector);
        Assert.Null(EngineCatalog.CreateCorrector(settings with { Correct = EngineCatalog.None }));
    }

    [Theory]
    [InlineData("kaldi", "terms", "--asr: unknown engine 'kaldi'")]
    [InlineData("pocketsphinx", "gpt", "--correct: unknown engine 'gpt'")]
    [InlineData("whisper", "terms", "--asr whisper needs --whisper-model FILE.")]
    [InlineData("pocketsphinx", "llama", "--correct llama needs --llama-model FILE.")]
    [InlineData("pocketsphinx", "openai", "--correct openai needs --endpoint URL")]
    public void Names_what_is_missing(string asr, string correct, string message)
    {
        Assert.StartsWith(message, EngineCatalog.Validate(new EngineSettings(asr, correct)), StringComparison.Ordinal);
    }

    [Fact]
    public void An_openai_corrector_needs_a_model_name()
    {
        Assert.Equal("--correct openai needs --model NAME.", EngineCatalog.Validate(new EngineSettings(Correct: EngineCatalog.OpenAi, Endpoint: new Uri("http://localhost:8080/v1"))));
    }

    [Fact]
    public void A_model_file_that_does_not_exist_is_named()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"interlude-no-model-{Guid.NewGuid():N}.bin");
        Assert.Equal($"--whisper-model: {missing}: no such file.", EngineCatalog.Validate(new EngineSettings(EngineCatalog.Whisper, WhisperModel: missing)));
        Assert.Equal($"--llama-model: {missing}: no such file.", EngineCatalog.Validate(new EngineSettings(Correct: EngineCatalog.Llama, LlamaModel: missing)));
        TalkEngineException e = Assert.Throws<TalkEngineException>(() => EngineCatalog.CreateCorrector(new EngineSettings(Correct: EngineCatalog.Llama, LlamaModel: missing)));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_openai_corrector_is_made_from_its_endpoint_and_model()
    {
        using ITranscriptCorrector? corrector = EngineCatalog.CreateCorrector(new EngineSettings(Correct: EngineCatalog.OpenAi, Endpoint: new Uri("http://localhost:8080/v1"), Model: "small"));
        Assert.Equal(EngineCatalog.OpenAi, corrector?.Name);
    }
}
