using System.Text.RegularExpressions;

namespace Interlude.Talk.Correction;

/// <summary>Splits text into words the way the term pass and the measurements do.</summary>
internal static partial class TranscriptWords
{
    /// <summary>The runs of letters, digits and apostrophes; hyphens and punctuation separate words.</summary>
    public static IEnumerable<string> Words(string text)
    {
        foreach (Match match in WordPattern().Matches(text))
        {
            yield return match.Value.Trim('\'');
        }
    }

    /// <summary>The words of <paramref name="text"/>, lower case: what word error rate and recall compare.</summary>
    public static IReadOnlyList<string> Normalized(string text) =>
        Words(text).Select(w => w.ToLowerInvariant()).Where(w => w.Length > 0).ToArray();

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex WordPattern();
}
