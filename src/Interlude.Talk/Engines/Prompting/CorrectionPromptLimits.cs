namespace Interlude.Talk.Engines.Prompting;

/// <summary>
/// How many characters of each part a correction prompt carries. The slide texts are reference only and are cut at a
/// word boundary when longer; a transcript longer than its budget is not cut (the correction would lose its tail):
/// building the prompt fails instead and the pipeline keeps the raw transcript.
/// </summary>
/// <param name="TitleSlideChars">Budget for the title slide's text. Defaults to 600.</param>
/// <param name="SlideChars">Budget for the current slide's text. Defaults to 2,000.</param>
/// <param name="TranscriptChars">Budget for the transcript. Defaults to 6,000 (about ten minutes of speech).</param>
internal sealed record CorrectionPromptLimits(int TitleSlideChars = 600, int SlideChars = 2000, int TranscriptChars = 6000)
{
    public static CorrectionPromptLimits Default { get; } = new();
}
