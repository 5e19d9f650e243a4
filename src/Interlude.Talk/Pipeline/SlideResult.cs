using Interlude.Talk.Slides;

namespace Interlude.Talk.Pipeline;

/// <summary>What the pipeline made of one slide; a stage that could not run leaves its text null.</summary>
/// <param name="Slide">When the slide was shown.</param>
/// <param name="Image">The slide's frame (slides/NNN.png), or null when it could not be extracted.</param>
/// <param name="OcrText">The slide's printed text.</param>
/// <param name="RawTranscript">What the recognizer heard while the slide was shown.</param>
/// <param name="CorrectedTranscript">The corrected transcript (the raw one when no corrector ran or it failed).</param>
internal sealed record SlideResult(SlideSpan Slide, string? Image, string? OcrText, string? RawTranscript, string? CorrectedTranscript);
