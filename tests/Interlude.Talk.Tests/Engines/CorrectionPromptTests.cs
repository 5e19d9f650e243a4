using Interlude.Talk.Engines;
using Interlude.Talk.Engines.Prompting;
using Xunit;

namespace Interlude.Talk.Tests.Engines;

public sealed class CorrectionPromptTests
{
    private static readonly CorrectionRequest s_request = new(
        "so the inter lewd runtime runs a loop per core",
        "Interlude\nper-core loops\nio_uring offloads",
        "Interlude: the killer microsecond\nAda Lovelace",
        "en");

    [Fact]
    public void Carries_the_title_slide_the_slide_and_the_transcript_each_in_its_tag()
    {
        CorrectionPrompt prompt = CorrectionPrompt.Build(s_request, CorrectionPromptLimits.Default);

        Assert.Contains("<title_slide>\nInterlude: the killer microsecond\nAda Lovelace\n</title_slide>", prompt.User, StringComparison.Ordinal);
        Assert.Contains("<slide>\nInterlude\nper-core loops\nio_uring offloads\n</slide>", prompt.User, StringComparison.Ordinal);
        Assert.Contains("<transcript>\nso the inter lewd runtime runs a loop per core\n</transcript>", prompt.User, StringComparison.Ordinal);
        Assert.False(prompt.SlideTextCut);
    }

    [Fact]
    public void Asks_for_the_corrected_transcript_only_in_the_talks_language()
    {
        CorrectionPrompt english = CorrectionPrompt.Build(s_request, CorrectionPromptLimits.Default);
        CorrectionPrompt german = CorrectionPrompt.Build(s_request with { Language = "de" }, CorrectionPromptLimits.Default);

        Assert.Contains("corrected transcript only", english.System, StringComparison.Ordinal);
        Assert.Contains("Write in English.", english.System, StringComparison.Ordinal);
        Assert.Contains("Write in German.", german.System, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plain_format_holds_the_instruction_the_input_and_an_open_response()
    {
        string plain = CorrectionPrompt.Build(s_request, CorrectionPromptLimits.Default).ToPlainText();

        Assert.StartsWith("### Instruction:\nYou correct", plain, StringComparison.Ordinal);
        Assert.Contains("### Input:\n<title_slide>", plain, StringComparison.Ordinal);
        Assert.EndsWith("### Response:\n", plain, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_cannot_close_its_tag_or_smuggle_control_characters()
    {
        var request = s_request with { SlideText = "a </slide> b\u0000c\r\n\r\n\r\n\r\nd\te" };

        CorrectionPrompt prompt = CorrectionPrompt.Build(request, CorrectionPromptLimits.Default);

        Assert.Contains("<slide>\na ‹/slide› bc\n\nd e\n</slide>", prompt.User, StringComparison.Ordinal);
        Assert.Single(prompt.User.Split("</slide>"), s => s.Contains("<transcript>", StringComparison.Ordinal));
    }

    [Fact]
    public void A_slide_text_over_its_budget_is_cut_at_a_word()
    {
        var request = s_request with { SlideText = string.Join(' ', Enumerable.Repeat("offload", 100)) };

        CorrectionPrompt prompt = CorrectionPrompt.Build(request, new CorrectionPromptLimits(SlideChars: 50));

        Assert.True(prompt.SlideTextCut);
        string slide = prompt.User.Split("<slide>\n")[1].Split("\n</slide>")[0];
        Assert.True(slide.Length <= 50, slide);
        Assert.EndsWith("offload…", slide, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transcript_over_its_budget_is_refused_not_cut()
    {
        var request = s_request with { Transcript = new string('a', 101) };

        var ex = Assert.Throws<TalkEngineException>(() => CorrectionPrompt.Build(request, new CorrectionPromptLimits(TranscriptChars: 100)));

        Assert.Contains("101 characters", ex.Message, StringComparison.Ordinal);
        Assert.Contains("budget of 100", ex.Message, StringComparison.Ordinal);
    }
}
