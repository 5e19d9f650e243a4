using Interlude.Talk.Engines;
using Interlude.Talk.Engines.Prompting;
using Xunit;

namespace Interlude.Talk.Tests.Engines;

public sealed class CorrectionOutputTests
{
    private const string Transcript = "so the inter lewd runtime runs a loop per core";
    private const string Corrected = "So the Interlude runtime runs a loop per core.";

    [Theory]
    [InlineData("  So the Interlude runtime runs a loop per core.  \n")]
    [InlineData("Here is the corrected transcript:\nSo the Interlude runtime runs a loop per core.")]
    [InlineData("Sure, here's the corrected transcript: So the Interlude runtime runs a loop per core.")]
    [InlineData("Corrected transcript: \"So the Interlude runtime runs a loop per core.\"")]
    [InlineData("“So the Interlude runtime runs a loop per core.”")]
    [InlineData("```text\nSo the Interlude runtime runs a loop per core.\n```")]
    [InlineData("<transcript>\nSo the Interlude runtime runs a loop per core.\n</transcript>")]
    [InlineData("So the Interlude runtime runs a loop per core.<|im_end|>")]
    [InlineData("So the Interlude runtime runs a loop per core.\n### Input: more")]
    public void Keeps_only_the_corrected_transcript(string answer)
    {
        Assert.Equal(Corrected, CorrectionOutput.Clean(answer, Transcript));
    }

    [Fact]
    public void Keeps_a_transcript_that_only_starts_like_a_preamble()
    {
        Assert.Equal("Okay, so here we go.", CorrectionOutput.Clean("Okay, so here we go.", "okay so here we go"));
    }

    [Theory]
    [InlineData("", "answered nothing")]
    [InlineData("  \"\"  ", "answered nothing")]
    [InlineData("... ?!", "no words")]
    [InlineData("loop loop loop loop loop loop loop loop loop loop loop loop loop", "over and over")]
    public void Rejects_a_degenerate_answer(string answer, string reason)
    {
        var ex = Assert.Throws<TalkEngineException>(() => CorrectionOutput.Clean(answer, Transcript));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains("raw transcript is kept", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_answer_far_longer_than_the_transcript()
    {
        string rambling = string.Join(' ', Enumerable.Range(0, 200).Select(i => $"word{i}"));

        var ex = Assert.Throws<TalkEngineException>(() => CorrectionOutput.Clean(rambling, Transcript));

        Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
    }
}
