namespace Interlude.Inference.Vision;

/// <summary>
/// Non-maximum suppression over candidate detections in one coordinate space: the best-scored candidate takes
/// every remaining one that overlaps it by at least the IoU threshold, then the next best remaining, and so on.
/// </summary>
internal static class NonMaximumSuppression
{
    /// <summary>
    /// The detections that survive, best first, at most <paramref name="maxDetections"/>. The candidates are
    /// reordered (by descending score, ties by their original order) but not changed.
    /// </summary>
    public static List<FaceCandidate> Apply(Span<FaceCandidate> candidates, float iouThreshold, SuppressionMode mode, int maxDetections)
    {
        var kept = new List<FaceCandidate>(Math.Min(candidates.Length, maxDetections));
        if (candidates.Length == 0)
        {
            return kept;
        }

        candidates.Sort(static (a, b) =>
        {
            int byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : a.Order.CompareTo(b.Order);
        });

        Span<bool> taken = candidates.Length <= 512 ? stackalloc bool[candidates.Length] : new bool[candidates.Length];
        taken.Clear();
        for (int i = 0; i < candidates.Length && kept.Count < maxDetections; i++)
        {
            if (taken[i])
            {
                continue;
            }

            taken[i] = true;
            ref readonly FaceCandidate best = ref candidates[i];
            if (mode == SuppressionMode.Hard)
            {
                for (int j = i + 1; j < candidates.Length; j++)
                {
                    if (!taken[j] && IntersectionOverUnion(best, candidates[j]) >= iouThreshold)
                    {
                        taken[j] = true;
                    }
                }

                kept.Add(best);
                continue;
            }

            // Weighted: the merged face is the score-weighted mean of the group's geometry, with the best score.
            FaceCandidate sum = best.Scaled(best.Score);
            float weight = best.Score;
            for (int j = i + 1; j < candidates.Length; j++)
            {
                if (!taken[j] && IntersectionOverUnion(best, candidates[j]) >= iouThreshold)
                {
                    taken[j] = true;
                    sum.Accumulate(candidates[j], candidates[j].Score);
                    weight += candidates[j].Score;
                }
            }

            FaceCandidate merged = sum.Scaled(1f / weight);
            merged.Score = best.Score;
            merged.Order = best.Order;
            kept.Add(merged);
        }

        return kept;
    }

    /// <summary>The area of the boxes' intersection over that of their union; 0 when either box is empty.</summary>
    public static float IntersectionOverUnion(in FaceCandidate a, in FaceCandidate b)
    {
        float areaA = a.Width * a.Height;
        float areaB = b.Width * b.Height;
        if (!(areaA > 0f) || !(areaB > 0f))
        {
            return 0f;
        }

        float left = MathF.Max(a.CenterX - a.Width / 2, b.CenterX - b.Width / 2);
        float right = MathF.Min(a.CenterX + a.Width / 2, b.CenterX + b.Width / 2);
        float top = MathF.Max(a.CenterY - a.Height / 2, b.CenterY - b.Height / 2);
        float bottom = MathF.Min(a.CenterY + a.Height / 2, b.CenterY + b.Height / 2);
        float intersection = MathF.Max(0f, right - left) * MathF.Max(0f, bottom - top);
        return intersection / (areaA + areaB - intersection);
    }
}
