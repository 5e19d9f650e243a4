using System.Text;

namespace Interlude.Talk.Correction;

/// <summary>
/// A sound-alike key for English spellings, in the spirit of Metaphone: vowels after the first letter are dropped,
/// consonants that sound alike share a symbol, and voiced and voiceless pairs (b/p, d/t, g/k, v/f, z/s) are merged,
/// because a recognizer confuses exactly those. Words are keyed joined, so a span split differently ("inter lewd",
/// "few decks") keys like the word it was heard for ("Interlude", "futex").
/// </summary>
internal static class PhoneticKey
{
    public static string Of(string text)
    {
        string w = Letters(text);
        var key = new StringBuilder(w.Length);
        int start = 0;
        if (w.Length >= 2 && (w.StartsWith("kn", StringComparison.Ordinal) || w.StartsWith("gn", StringComparison.Ordinal)
            || w.StartsWith("pn", StringComparison.Ordinal) || w.StartsWith("wr", StringComparison.Ordinal)))
        {
            start = 1;
        }

        for (int i = start; i < w.Length; i++)
        {
            char c = w[i];
            char next = i + 1 < w.Length ? w[i + 1] : '\0';
            char symbol;
            switch (c)
            {
                case 'a' or 'e' or 'i' or 'o' or 'u':
                    symbol = i == start ? 'A' : '\0';
                    break;
                case 'y':
                    symbol = IsVowel(next) ? 'Y' : (i == start ? 'A' : '\0');
                    break;
                case 'w':
                    symbol = IsVowel(next) ? 'W' : '\0';
                    break;
                case 'h':
                    symbol = IsVowel(next) && (i == start || !IsConsonant(w[i - 1])) ? 'H' : '\0';
                    break;
                case 'b' or 'p':
                    symbol = c == 'p' && next == 'h' ? 'F' : 'P';
                    break;
                case 'd' or 't':
                    symbol = c == 't' && next == 'h' ? '0' : 'T';
                    break;
                case 'g' or 'k' or 'q':
                    symbol = c == 'g' && next == 'h' && i > start ? '\0' : 'K';
                    break;
                case 'c':
                    symbol = next == 'h' ? 'X' : (next is 'e' or 'i' or 'y' ? 'S' : 'K');
                    break;
                case 's':
                    symbol = next == 'h' ? 'X' : 'S';
                    break;
                case 'z':
                    symbol = 'S';
                    break;
                case 'x':
                    key.Append('K');
                    symbol = 'S';
                    break;
                case 'f' or 'v':
                    symbol = 'F';
                    break;
                case 'j':
                    symbol = 'J';
                    break;
                case 'l' or 'm' or 'n' or 'r':
                    symbol = char.ToUpperInvariant(c);
                    break;
                default:
                    symbol = '\0';
                    break;
            }

            if (symbol != '\0' && (key.Length == 0 || key[^1] != symbol))
            {
                key.Append(symbol);
            }
        }

        return key.ToString();
    }

    /// <summary>The lower-case ASCII letters of <paramref name="text"/>, everything else dropped.</summary>
    public static string Letters(string text)
    {
        var letters = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            char lower = char.ToLowerInvariant(c);
            if (lower is >= 'a' and <= 'z')
            {
                letters.Append(lower);
            }
        }

        return letters.ToString();
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    private static bool IsConsonant(char c) => c is >= 'a' and <= 'z' && !IsVowel(c) && c != 'y';
}
