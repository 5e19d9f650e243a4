using System.Globalization;
using Interlude.Talk.Engines;
using Interlude.Talk.Tools;

namespace Interlude.Talk.Slides;

/// <summary>Saves one frame of a slide as a PNG with ffmpeg.</summary>
internal static class FrameExtractor
{
    /// <summary>How long after the cut the slide's frame is taken: past a transition and the encoder's first frames.</summary>
    public const double Settle = 0.5;

    /// <summary>The time of the frame that stands for <paramref name="slide"/>.</summary>
    public static double FrameTime(SlideSpan slide) => Math.Max(slide.Start, Math.Min(slide.Start + Settle, slide.End - 0.05));

    public static void Extract(string video, SlideSpan slide, string png, CancellationToken cancellationToken)
    {
        string at = FrameTime(slide).ToString("0.###", CultureInfo.InvariantCulture);
        ExternalTool.RunChecked(
            "ffmpeg",
            ["-hide_banner", "-nostdin", "-v", "error", "-y", "-ss", at, "-i", video, "-frames:v", "1", "-an", png],
            $"slide {slide.Name}'s frame",
            cancellationToken);
        if (!File.Exists(png))
        {
            throw new TalkEngineException($"slide {slide.Name}'s frame: ffmpeg wrote no image at {at} s.");
        }
    }
}
