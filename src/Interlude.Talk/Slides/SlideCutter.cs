namespace Interlude.Talk.Slides;

/// <summary>Turns scene scores and a threshold into slides.</summary>
internal static class SlideCutter
{
    /// <summary>
    /// A frame scoring above <paramref name="threshold"/> starts a new slide, unless it comes less than
    /// <paramref name="minimumSlide"/> seconds after the previous start (a transition or a build over several
    /// frames: the slide keeps its first cut). The first slide starts at 0; the last ends at <paramref name="duration"/>.
    /// </summary>
    public static IReadOnlyList<SlideSpan> Cut(IReadOnlyList<SceneScore> scores, double? threshold, double duration, double minimumSlide = 1.0)
    {
        var starts = new List<double> { 0 };
        if (threshold is { } level)
        {
            foreach (SceneScore score in scores)
            {
                if (score.Score > level && score.Seconds - starts[^1] >= minimumSlide && duration - score.Seconds >= minimumSlide / 2)
                {
                    starts.Add(score.Seconds);
                }
            }
        }

        var slides = new List<SlideSpan>(starts.Count);
        for (int i = 0; i < starts.Count; i++)
        {
            slides.Add(new SlideSpan(i, starts[i], i + 1 < starts.Count ? starts[i + 1] : duration));
        }

        return slides;
    }
}
