using System.Globalization;
using System.Text;

namespace Interlude.Talk.Engines.Prompting;

/// <summary>
/// The prompt both language-model correctors send: a system message with the task and a user message carrying the
/// title slide's text, the current slide's text and the raw transcript, each between tags. Each part is cleaned
/// (control characters dropped, line ends normalized, blank-line runs collapsed, angle brackets replaced so a part
/// cannot close its tag) and held to its budget (<see cref="CorrectionPromptLimits"/>).
/// </summary>
internal sealed class CorrectionPrompt
{
    /// <summary>Strings at which generation stops: the plain format's next section, and common end-of-turn markers.</summary>
    public static IReadOnlyList<string> StopStrings { get; } =
        ["\n###", "</transcript>", "<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "</s>"];

    private CorrectionPrompt(string system, string user, bool slideTextCut)
    {
        System = system;
        User = user;
        SlideTextCut = slideTextCut;
    }

    /// <summary>The task: what to fix, what to keep, and to answer with the corrected transcript only.</summary>
    public string System { get; }

    /// <summary>The material: title slide, current slide and transcript, each between tags.</summary>
    public string User { get; }

    /// <summary>Whether a slide text was longer than its budget and was cut.</summary>
    public bool SlideTextCut { get; }

    /// <summary>
    /// Builds the prompt for <paramref name="request"/>. Throws <see cref="TalkEngineException"/> when the transcript is
    /// longer than its budget.
    /// </summary>
    public static CorrectionPrompt Build(CorrectionRequest request, CorrectionPromptLimits limits)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        string transcript = Clean(request.Transcript);
        if (transcript.Length > limits.TranscriptChars)
        {
            throw new TalkEngineException(
                $"The transcript has {transcript.Length} characters, more than the correction prompt's budget of {limits.TranscriptChars}; the raw transcript is kept.");
        }

        (string title, bool titleCut) = Cut(Clean(request.TitleSlideText), limits.TitleSlideChars);
        (string slide, bool slideCut) = Cut(Clean(request.SlideText), limits.SlideChars);

        string system =
            "You correct the transcript of one part of a recorded talk. Speech recognition wrote it: it misspells names, " +
            "product names and technical terms, and it keeps the fillers and false starts of speech. The slide text was " +
            "read from the slide shown while this part was spoken, and the title slide names the talk and its speaker: " +
            "use both as the reference for the spelling of names and terms. Keep the speaker's meaning, order and voice; " +
            "do not add facts, do not summarize, do not describe the slide. Drop fillers and false starts, and fix " +
            $"punctuation. Write in {LanguageName(request.Language)}. Answer with the corrected transcript only: no " +
            "preamble, no quotes, no notes.";

        var user = new StringBuilder();
        user.Append("<title_slide>\n").Append(title).Append("\n</title_slide>\n");
        user.Append("<slide>\n").Append(slide).Append("\n</slide>\n");
        user.Append("<transcript>\n").Append(transcript).Append("\n</transcript>\n");
        user.Append("Write the corrected transcript.");
        return new CorrectionPrompt(system, user.ToString(), titleCut || slideCut);
    }

    /// <summary>The prompt as one instruction-format text, for a model without a chat template.</summary>
    public string ToPlainText() => $"### Instruction:\n{System}\n\n### Input:\n{User}\n\n### Response:\n";

    private static string LanguageName(string code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return "the language of the transcript";
        }

        try
        {
            CultureInfo culture = CultureInfo.GetCultureInfo(code);
            return culture.EnglishName.Length > 0 && !culture.EnglishName.StartsWith("Unknown", StringComparison.Ordinal)
                ? culture.EnglishName
                : code;
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
    }

    /// <summary>Drops control characters, normalizes line ends, collapses blank-line runs, replaces angle brackets.</summary>
    internal static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        int newlines = 0;
        foreach (char c in text.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            char mapped = c switch
            {
                '\r' => '\n',
                '\t' => ' ',
                '<' => '‹',
                '>' => '›',
                _ => c,
            };
            if (mapped == '\n')
            {
                if (++newlines <= 2)
                {
                    builder.Append('\n');
                }

                continue;
            }

            if (char.IsControl(mapped))
            {
                continue;
            }

            newlines = 0;
            builder.Append(mapped);
        }

        return builder.ToString().Trim();
    }

    private static (string Text, bool Cut) Cut(string text, int budget)
    {
        if (text.Length <= budget)
        {
            return (text, false);
        }

        int end = text.LastIndexOfAny([' ', '\n'], Math.Max(0, budget - 1));
        if (end < budget / 2)
        {
            end = budget - 1;
        }

        return (string.Concat(text.AsSpan(0, end).TrimEnd(), "…"), true);
    }
}
