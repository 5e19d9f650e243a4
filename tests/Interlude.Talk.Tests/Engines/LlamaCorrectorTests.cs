using Interlude.Talk.Engines;
using Interlude.Talk.Engines.Llama;
using Interlude.Talk.Tests.Engines.Models;
using Xunit;

namespace Interlude.Talk.Tests.Engines;

/// <summary>
/// The llama corrector on a generated tiny random-weight GGUF: these prove the file loads, the prompt carries the
/// slide terms and the transcript in the model's format, generation stays within its bound and is deterministic, and
/// the answer either comes back as text or is rejected with the documented exception. Random weights say nothing of
/// correction quality.
/// </summary>
public sealed class LlamaCorrectorTests(GeneratedModelFolder models) : IClassFixture<GeneratedModelFolder>
{
    private static readonly CorrectionRequest s_request = new(
        "so the inter lewd runtime runs a loop per core",
        "Interlude\nper-core loops\nio_uring offloads",
        "Interlude: the killer microsecond\nAda Lovelace",
        "en");

    private static LlamaCorrectorOptions Options(int maxTokens = 24) => new() { ContextSize = 1024, MaxTokens = maxTokens, Threads = 1 };

    [Fact]
    public void Runs_a_prompt_with_the_slide_terms_and_stops_within_the_token_bound()
    {
        using var corrector = new LlamaCorrector(models.LlamaModel, Options());

        string? answer = CorrectOrRejected(corrector, out TalkEngineException? rejected);

        LlamaRun run = Assert.IsType<LlamaRun>(corrector.LastRun);
        Assert.False(corrector.HasChatTemplate);
        Assert.StartsWith("### Instruction:", run.Prompt, StringComparison.Ordinal);
        foreach (string part in (string[])["Interlude", "per-core loops", "io_uring offloads", "Ada Lovelace", s_request.Transcript])
        {
            Assert.Contains(part, run.Prompt, StringComparison.Ordinal);
        }

        Assert.True(run.PromptTokens > 0);
        Assert.InRange(run.GeneratedTokens, 1, 24);
        Assert.True(answer is not null ^ rejected is not null);
        if (rejected is not null)
        {
            Assert.Contains("raw transcript is kept", rejected.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(answer!.Trim(), answer);
            Assert.NotEmpty(answer);
        }
    }

    [Fact]
    public void An_answer_that_ends_its_turn_comes_back_cleaned()
    {
        using var corrector = new LlamaCorrector(models.LlamaScriptedModel, Options());

        string answer = corrector.Correct(s_request, CancellationToken.None);

        LlamaRun run = corrector.LastRun!;
        Assert.False(run.HitTokenLimit);
        Assert.Equal(" the Interlude runtime", run.Answer);
        Assert.Equal("the Interlude runtime", answer);
        Assert.InRange(run.GeneratedTokens, GeneratedModelFolder.ScriptedAnswer.Count, GeneratedModelFolder.ScriptedAnswer.Count + 1);
    }

    [Fact]
    public void Is_deterministic_at_temperature_zero()
    {
        using var corrector = new LlamaCorrector(models.LlamaModel, Options());

        string? first = CorrectOrRejected(corrector, out TalkEngineException? firstRejected);
        LlamaRun firstRun = corrector.LastRun!;
        string? second = CorrectOrRejected(corrector, out TalkEngineException? secondRejected);
        LlamaRun secondRun = corrector.LastRun!;

        Assert.Equal(firstRun.Answer, secondRun.Answer);
        Assert.Equal(firstRun.GeneratedTokens, secondRun.GeneratedTokens);
        Assert.Equal(first, second);
        Assert.Equal(firstRejected?.Message, secondRejected?.Message);
    }

    [Fact]
    public void An_answer_cut_at_the_token_limit_is_rejected()
    {
        using var corrector = new LlamaCorrector(models.LlamaModel, Options(maxTokens: 3));

        string? answer = CorrectOrRejected(corrector, out TalkEngineException? rejected);

        LlamaRun run = corrector.LastRun!;
        Assert.InRange(run.GeneratedTokens, 1, 3);
        if (run.HitTokenLimit)
        {
            Assert.Null(answer);
            Assert.Contains("limit of 3 tokens", rejected!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Formats_the_prompt_with_the_models_chat_template()
    {
        using var corrector = new LlamaCorrector(models.LlamaChatMlModel, Options());

        _ = CorrectOrRejected(corrector, out _);

        Assert.True(corrector.HasChatTemplate);
        string prompt = corrector.LastRun!.Prompt;
        Assert.StartsWith("<|im_start|>system\n", prompt, StringComparison.Ordinal);
        Assert.Contains("<|im_start|>user\n", prompt, StringComparison.Ordinal);
        Assert.EndsWith("<|im_start|>assistant\n", prompt, StringComparison.Ordinal);
        Assert.Contains("io_uring offloads", prompt, StringComparison.Ordinal);
        Assert.Contains(s_request.Transcript, prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_file_fails_naming_the_file()
    {
        string path = Path.Combine(models.Path, "no-such-model.gguf");

        var ex = Assert.Throws<TalkEngineException>(() => new LlamaCorrector(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_model_file_fails_naming_the_file()
    {
        string path = models.WriteFile("corrupt.gguf", "GGUF but then nothing that makes sense"u8.ToArray());

        var ex = Assert.Throws<TalkEngineException>(() => new LlamaCorrector(path, Options()));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("could not be loaded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transcript_over_its_budget_is_refused_before_generating()
    {
        using var corrector = new LlamaCorrector(models.LlamaModel, Options());
        var request = s_request with { Transcript = string.Join(' ', Enumerable.Repeat("loop", 2000)) };

        var ex = Assert.Throws<TalkEngineException>(() => corrector.Correct(request, CancellationToken.None));

        Assert.Contains("budget", ex.Message, StringComparison.Ordinal);
        Assert.Null(corrector.LastRun);
    }

    private static string? CorrectOrRejected(LlamaCorrector corrector, out TalkEngineException? rejected)
    {
        try
        {
            rejected = null;
            return corrector.Correct(s_request, CancellationToken.None);
        }
        catch (TalkEngineException ex)
        {
            rejected = ex;
            return null;
        }
    }
}
