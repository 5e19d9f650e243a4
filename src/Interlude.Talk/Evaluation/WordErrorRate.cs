using Interlude.Talk.Correction;

namespace Interlude.Talk.Evaluation;

/// <summary>
/// Word error rate: the word-level edit distance (substitutions + deletions + insertions) from a reference to a
/// hypothesis, divided by the reference's word count. Both are compared as <see cref="TranscriptWords.Normalized"/>
/// words (lower case, punctuation and hyphens separating words).
/// </summary>
internal static class WordErrorRate
{
    /// <summary>The errors and the reference's length; the rate is their ratio.</summary>
    public static (int Errors, int ReferenceWords) Count(string reference, string hypothesis)
    {
        IReadOnlyList<string> expected = TranscriptWords.Normalized(reference);
        IReadOnlyList<string> actual = TranscriptWords.Normalized(hypothesis);
        return (EditDistance.Between(expected, actual), expected.Count);
    }

    /// <summary>The rate (0 for a perfect transcript; above 1 when the hypothesis adds many words).</summary>
    public static double Of(string reference, string hypothesis)
    {
        (int errors, int words) = Count(reference, hypothesis);
        return words == 0 ? (errors == 0 ? 0 : 1) : (double)errors / words;
    }
}
