using Interlude.Talk.Engines;

namespace Interlude.Talk.Correction;

/// <summary>
/// The built-in corrector (<c>--correct terms</c>): a deterministic pass that replaces spans of one to three
/// transcript words by a word printed on the current slide or the title slide when they sound alike, the way a
/// recognizer mishears a name it does not know ("inter lewd" for Interlude, "few decks" for futex).
/// </summary>
/// <remarks>
/// Conservative by construction, so that it does not turn real words into jargon: a term is a slide word of four or
/// more letters that is not common English (<see cref="CommonWords"/>); a single common transcript word is never
/// replaced; a span made only of common words is replaced only when its sound-alike key equals the term's and that
/// key has at least four symbols; otherwise the keys may differ by one symbol only for terms whose key has five or
/// more, or the letters may differ by one edit in five, and then only for spans that neither start nor end with a
/// common word. Among overlapping candidates the closest match wins, then
/// the shorter span.
/// </remarks>
internal sealed class TermCorrector : ITranscriptCorrector
{
    /// <summary>The longest span, in words, that can become one term.</summary>
    public const int MaxSpan = 3;

    public string Name => "terms";

    public string Correct(CorrectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<Term> terms = Term.From(request.SlideText + "\n" + request.TitleSlideText);
        return Apply(request.Transcript, terms);
    }

    public void Dispose()
    {
    }

    /// <summary>Replaces the spans of <paramref name="transcript"/> that match <paramref name="terms"/>.</summary>
    internal static string Apply(string transcript, IReadOnlyList<Term> terms)
    {
        string[] tokens = transcript.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0 || terms.Count == 0)
        {
            return string.Join(' ', tokens);
        }

        string[] letters = tokens.Select(PhoneticKey.Letters).ToArray();
        var candidates = new List<(int Start, int Length, Term Term, double Score)>();
        for (int start = 0; start < tokens.Length; start++)
        {
            for (int length = 1; length <= MaxSpan && start + length <= tokens.Length; length++)
            {
                if (letters[start + length - 1].Length == 0)
                {
                    break; // a span never reaches over a token with no letters (a number, a dash)
                }

                string spanLetters = string.Concat(letters.AsSpan(start, length));
                bool allCommon = true;
                for (int k = start; k < start + length; k++)
                {
                    allCommon &= CommonWords.Contains(letters[k]);
                }

                bool commonEdge = length > 1 && (CommonWords.Contains(letters[start]) || CommonWords.Contains(letters[start + length - 1]));

                foreach (Term term in terms)
                {
                    if (Match(spanLetters, length, allCommon, commonEdge, term) is { } score)
                    {
                        candidates.Add((start, length, term, score));
                    }
                }
            }
        }

        var taken = new bool[tokens.Length];
        var replacements = new SortedDictionary<int, (int Length, Term Term)>();
        foreach (var candidate in candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Length).ThenBy(c => c.Start))
        {
            if (taken.AsSpan(candidate.Start, candidate.Length).Contains(true))
            {
                continue;
            }

            taken.AsSpan(candidate.Start, candidate.Length).Fill(true);
            replacements[candidate.Start] = (candidate.Length, candidate.Term);
        }

        var output = new List<string>(tokens.Length);
        for (int i = 0; i < tokens.Length;)
        {
            if (replacements.TryGetValue(i, out var replacement))
            {
                string last = tokens[i + replacement.Length - 1];
                output.Add(Leading(tokens[i]) + replacement.Term.Text + Trailing(last));
                i += replacement.Length;
            }
            else
            {
                output.Add(tokens[i]);
                i++;
            }
        }

        return string.Join(' ', output);
    }

    /// <summary>How well a span matches a term (higher is closer), or null when it must not be replaced by it.</summary>
    internal static double? Match(string spanLetters, int words, bool allCommon, bool commonEdge, Term term)
    {
        if (spanLetters.Length == 0)
        {
            return null;
        }

        if (spanLetters == term.Letters)
        {
            // The same word (or the same letters split into words): only the spelling changes.
            return 3.0;
        }

        if (words == 1 && allCommon)
        {
            return null;
        }

        if (Math.Abs(spanLetters.Length - term.Letters.Length) > Math.Max(3, term.Letters.Length / 2))
        {
            return null;
        }

        string key = PhoneticKey.Of(spanLetters);
        int keyDistance = EditDistance.Between(key, term.Key);
        int letterDistance = EditDistance.Between(spanLetters, term.Letters);
        double letterSimilarity = 1.0 - ((double)letterDistance / Math.Max(spanLetters.Length, term.Letters.Length));
        if (allCommon)
        {
            return keyDistance == 0 && term.Key.Length >= 4 ? 2.0 + letterSimilarity : null;
        }

        if (keyDistance == 0 && term.Key.Length >= 2)
        {
            return 2.0 + letterSimilarity;
        }

        if (commonEdge)
        {
            // A near match must not swallow a common word at either end of the span ("court and" is not Coroutines).
            return null;
        }

        if (keyDistance == 1 && term.Key.Length >= 5)
        {
            return 1.0 + letterSimilarity;
        }

        if (letterDistance <= term.Letters.Length / 5)
        {
            return 1.0 + letterSimilarity;
        }

        return null;
    }

    private static string Leading(string token)
    {
        int i = 0;
        while (i < token.Length && !char.IsLetterOrDigit(token[i]))
        {
            i++;
        }

        return token[..i];
    }

    private static string Trailing(string token)
    {
        int i = token.Length;
        while (i > 0 && !char.IsLetterOrDigit(token[i - 1]))
        {
            i--;
        }

        return token[i..];
    }
}
