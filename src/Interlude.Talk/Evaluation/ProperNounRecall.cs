using Interlude.Talk.Correction;

namespace Interlude.Talk.Evaluation;

/// <summary>
/// How many of the proper nouns spoken in a reference a transcript has, counted per occurrence and case-blind: a
/// noun said twice and transcribed once counts one of two.
/// </summary>
internal static class ProperNounRecall
{
    public static (int Found, int Spoken) Count(string reference, string hypothesis, IEnumerable<string> properNouns)
    {
        var nouns = new HashSet<string>(properNouns.Select(n => n.ToLowerInvariant()), StringComparer.Ordinal);
        Dictionary<string, int> spoken = Occurrences(reference, nouns);
        Dictionary<string, int> heard = Occurrences(hypothesis, nouns);
        int found = spoken.Sum(pair => Math.Min(pair.Value, heard.GetValueOrDefault(pair.Key)));
        return (found, spoken.Values.Sum());
    }

    private static Dictionary<string, int> Occurrences(string text, HashSet<string> nouns)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string word in TranscriptWords.Normalized(text))
        {
            if (nouns.Contains(word))
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }

        return counts;
    }
}
