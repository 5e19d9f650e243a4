namespace Interlude.Talk.Slides;

/// <summary>
/// Chooses the scene-score level above which a frame starts a new slide, from the scores of the whole video.
/// </summary>
/// <remarks>
/// A slide change is rare (a slide stays for seconds: a few frames in a thousand) and stands apart from the
/// encoder's noise between two frames of the same slide, but not by a fixed amount: a change of text alone scores
/// about 0.05-0.08 where the noise floor is near 0.015, so the usual fixed 0.3-0.4 finds nothing, while a change of
/// picture scores up to 1. The threshold is therefore put just above the noise: the noise level is the score of the
/// frame at the <see cref="NoiseQuantile"/> quantile, and the threshold goes in the widest gap (as a ratio) between
/// consecutive sorted scores whose lower side is within <see cref="NoiseMultiple"/> times that level, geometric-mid
/// between the two (so a gap between small and large cuts never wins). Scores below <see cref="Floor"/> count as
/// <see cref="Floor"/>, so that gaps among near-zero noise do not win either, and the upper side must reach
/// <see cref="MinimumCut"/>. When no such gap is at least <see cref="MinimumRatio"/> wide, the video is one slide.
/// </remarks>
internal static class SceneThreshold
{
    /// <summary>The quantile of the scores taken as the noise level: cuts are far fewer than one frame in ten.</summary>
    public const double NoiseQuantile = 0.90;

    /// <summary>How far above the noise level the lower side of the chosen gap may be.</summary>
    public const double NoiseMultiple = 3.0;

    /// <summary>Scores below this are noise whatever their ratios.</summary>
    public const double Floor = 0.005;

    /// <summary>The lowest score that can be a cut.</summary>
    public const double MinimumCut = 0.02;

    /// <summary>The narrowest gap (upper / lower) that separates cuts from noise.</summary>
    public const double MinimumRatio = 2.0;

    /// <summary>The chosen threshold, or null when no frame stands out (one slide).</summary>
    public static double? Choose(IReadOnlyList<SceneScore> scores)
    {
        if (scores.Count < 2)
        {
            return null;
        }

        double[] sorted = new double[scores.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            sorted[i] = Math.Max(scores[i].Score, Floor);
        }

        Array.Sort(sorted);
        double noise = sorted[(int)Math.Floor((sorted.Length - 1) * NoiseQuantile)];
        double bestRatio = 0;
        int best = -1;
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] < MinimumCut || sorted[i - 1] > NoiseMultiple * noise)
            {
                continue;
            }

            double ratio = sorted[i] / sorted[i - 1];
            if (ratio > bestRatio)
            {
                bestRatio = ratio;
                best = i;
            }
        }

        if (best < 0 || bestRatio < MinimumRatio)
        {
            return null;
        }

        return Math.Sqrt(sorted[best] * sorted[best - 1]);
    }
}
