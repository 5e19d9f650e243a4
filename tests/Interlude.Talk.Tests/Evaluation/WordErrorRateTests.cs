using Interlude.Talk.Evaluation;
using Xunit;

namespace Interlude.Talk.Tests.Evaluation;

public sealed class WordErrorRateTests
{
    [Fact]
    public void A_perfect_transcript_scores_zero_whatever_its_case_and_punctuation()
    {
        Assert.Equal(0, WordErrorRate.Of("Kestrel serves requests, on the loops.", "kestrel serves requests on the loops"));
    }

    [Theory]
    [InlineData("a b c d", "a x c d", 1, 4)] // a substitution
    [InlineData("a b c d", "a c d", 1, 4)] // a deletion
    [InlineData("a b c d", "a b b c d", 1, 4)] // an insertion
    [InlineData("a b c d", "d c b a", 4, 4)] // reversed: the cheapest alignment
    [InlineData("a b c d", "b c d a", 2, 4)] // rotated: one deletion, one insertion
    [InlineData("per-core loops", "per core loops", 0, 3)] // hyphens separate words
    [InlineData("a b c d", "", 4, 4)]
    public void Counts_substitutions_deletions_and_insertions(string reference, string hypothesis, int errors, int words)
    {
        Assert.Equal((errors, words), WordErrorRate.Count(reference, hypothesis));
    }

    [Fact]
    public void Is_errors_over_reference_words()
    {
        Assert.Equal(0.25, WordErrorRate.Of("the inter lude runtime", "the inter lewd runtime"));
        Assert.Equal(1.5, WordErrorRate.Of("a b", "x y z"));
    }

    [Fact]
    public void An_empty_reference_is_zero_only_for_an_empty_hypothesis()
    {
        Assert.Equal(0, WordErrorRate.Of("", ""));
        Assert.Equal(1, WordErrorRate.Of("", "noise"));
    }
}
