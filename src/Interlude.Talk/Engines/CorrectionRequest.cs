namespace Interlude.Talk.Engines;

/// <summary>What a corrector is given for one slide.</summary>
/// <param name="Transcript">The raw speech-to-text output for the slide.</param>
/// <param name="SlideText">The OCR text of the slide shown while it was spoken.</param>
/// <param name="TitleSlideText">The OCR text of the talk's first (title) slide.</param>
/// <param name="Language">The talk's language, as an ISO 639-1 code (<c>en</c>).</param>
internal sealed record CorrectionRequest(string Transcript, string SlideText, string TitleSlideText, string Language);
