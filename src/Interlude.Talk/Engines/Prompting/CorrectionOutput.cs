using System.Text.RegularExpressions;

namespace Interlude.Talk.Engines.Prompting;

/// <summary>
/// Turns a model's answer into a corrected transcript: trims it, strips a preamble line ("Here is the corrected
/// transcript:"), wrapping tags, quotes and code fences, and rejects degenerate answers (empty, without a letter or
/// digit, far longer than the transcript, or one word repeated) with a <see cref="TalkEngineException"/>, so the
/// pipeline keeps the raw transcript.
/// </summary>
internal static partial class CorrectionOutput
{
    public static string Clean(string answer, string transcript)
    {
        string text = (answer ?? string.Empty).Trim();
        foreach (string stop in CorrectionPrompt.StopStrings)
        {
            int at = text.IndexOf(stop.Trim(), StringComparison.Ordinal);
            if (at >= 0)
            {
                text = text[..at];
            }
        }

        text = Preamble().Replace(text.Trim(), string.Empty, 1).Trim();
        text = text.Replace("<transcript>", string.Empty, StringComparison.Ordinal).Trim();
        text = StripWrapping(text, "```", "```");
        foreach ((string open, string close) in (ReadOnlySpan<(string, string)>)[("\"", "\""), ("“", "”"), ("'", "'"), ("«", "»")])
        {
            text = StripWrapping(text, open, close);
        }

        if (text.Length == 0)
        {
            throw new TalkEngineException("The corrector answered nothing; the raw transcript is kept.");
        }

        if (!text.Any(char.IsLetterOrDigit))
        {
            throw new TalkEngineException("The corrector answered no words; the raw transcript is kept.");
        }

        int limit = (3 * transcript.Length) + 200;
        if (text.Length > limit)
        {
            throw new TalkEngineException(
                $"The corrector answered {text.Length} characters for a transcript of {transcript.Length} (limit {limit}); the raw transcript is kept.");
        }

        string[] words = text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length >= 12 && words.GroupBy(w => w, StringComparer.OrdinalIgnoreCase).Max(g => g.Count()) * 2 > words.Length)
        {
            throw new TalkEngineException("The corrector answered one word over and over; the raw transcript is kept.");
        }

        return text;
    }

    private static string StripWrapping(string text, string open, string close)
    {
        if (text.Length >= open.Length + close.Length && text.StartsWith(open, StringComparison.Ordinal) && text.EndsWith(close, StringComparison.Ordinal))
        {
            string inner = text[open.Length..^close.Length];
            if (open == "```")
            {
                // A fence may name a language on its first line.
                int newline = inner.IndexOf('\n', StringComparison.Ordinal);
                if (newline >= 0 && !inner[..newline].Contains(' ', StringComparison.Ordinal))
                {
                    inner = inner[(newline + 1)..];
                }
            }

            return inner.Trim();
        }

        return text;
    }

    [GeneratedRegex(@"\A(?:(?:sure|okay|ok|certainly|of course)[,.!]?\s+)?(?:here(?:'s| is)[^\n:]*|(?:the )?corrected transcript(?: is)?)\s*:\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Preamble();
}
