namespace Interlude.Talk.Correction;

/// <summary>A word printed on a slide that the term pass may put into a transcript, with its keys.</summary>
/// <param name="Text">As the slide spells it (Interlude, epoll, ThreadPool).</param>
/// <param name="Letters">Its lower-case letters.</param>
/// <param name="Key">Its <see cref="PhoneticKey"/>.</param>
internal sealed record Term(string Text, string Letters, string Key)
{
    /// <summary>
    /// The terms of some slide text: words of at least <paramref name="minimumLetters"/> letters that are not common
    /// English, once each, in the order first seen (a spelling with capitals inside wins: ThreadPool over threadpool).
    /// </summary>
    public static IReadOnlyList<Term> From(string text, int minimumLetters = 4)
    {
        var terms = new List<Term>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string word in TranscriptWords.Words(text))
        {
            string letters = PhoneticKey.Letters(word);
            if (letters.Length < minimumLetters || CommonWords.Contains(letters) || letters.Length != word.Length)
            {
                continue;
            }

            if (index.TryGetValue(letters, out int at))
            {
                if (HasInnerCapital(word) && !HasInnerCapital(terms[at].Text))
                {
                    terms[at] = terms[at] with { Text = word };
                }

                continue;
            }

            index[letters] = terms.Count;
            terms.Add(new Term(word, letters, PhoneticKey.Of(letters)));
        }

        return terms;
    }

    private static bool HasInnerCapital(string word) => word.Skip(1).Any(char.IsUpper);
}
