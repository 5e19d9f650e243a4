using Xunit;

namespace Interlude.Inference.Vision.Tests;

public sealed class NonMaximumSuppressionTests
{
    [Fact]
    public void IntersectionOverUnionOfKnownBoxes()
    {
        var a = new FaceCandidate(0.5f, 0.5f, 0.2f, 0.2f, 1f);
        var half = new FaceCandidate(0.6f, 0.5f, 0.2f, 0.2f, 1f); // overlaps a by half its width
        var apart = new FaceCandidate(0.9f, 0.9f, 0.1f, 0.1f, 1f);
        var empty = new FaceCandidate(0.5f, 0.5f, 0f, 0.2f, 1f);

        Assert.Equal(1f, NonMaximumSuppression.IntersectionOverUnion(a, a), 1e-6f);
        Assert.Equal(1f / 3f, NonMaximumSuppression.IntersectionOverUnion(a, half), 1e-6f);
        Assert.Equal(0f, NonMaximumSuppression.IntersectionOverUnion(a, apart));
        Assert.Equal(0f, NonMaximumSuppression.IntersectionOverUnion(a, empty));
    }

    [Theory]
    [InlineData(SuppressionMode.Hard)]
    [InlineData(SuppressionMode.Weighted)]
    public void OverlappingCandidatesBecomeOneAndDisjointOnesAreKept(SuppressionMode mode)
    {
        FaceCandidate[] candidates =
        [
            new(0.30f, 0.30f, 0.20f, 0.20f, 0.80f, order: 0),
            new(0.31f, 0.30f, 0.20f, 0.20f, 0.95f, order: 1),
            new(0.29f, 0.31f, 0.20f, 0.20f, 0.85f, order: 2),
            new(0.75f, 0.70f, 0.10f, 0.10f, 0.90f, order: 3),
        ];

        List<FaceCandidate> kept = NonMaximumSuppression.Apply(candidates, 0.3f, mode, 100);

        Assert.Equal(2, kept.Count);
        Assert.Equal((0.95f, 1), (kept[0].Score, kept[0].Order));
        Assert.Equal((0.90f, 3), (kept[1].Score, kept[1].Order));
        Assert.Equal(0.75f, kept[1].CenterX, 1e-6f); // alone in its group: unchanged either way
        if (mode == SuppressionMode.Hard)
        {
            Assert.Equal(0.31f, kept[0].CenterX, 1e-6f);
            Assert.Equal(0.30f, kept[0].CenterY, 1e-6f);
        }
        else
        {
            float weight = 0.80f + 0.95f + 0.85f;
            Assert.Equal((0.30f * 0.80f + 0.31f * 0.95f + 0.29f * 0.85f) / weight, kept[0].CenterX, 1e-6f);
            Assert.Equal((0.30f * 0.80f + 0.30f * 0.95f + 0.31f * 0.85f) / weight, kept[0].CenterY, 1e-6f);
            Assert.Equal(0.20f, kept[0].Width, 1e-6f);
        }
    }

    [Fact]
    public void WeightedMergingAveragesTheKeypointsToo()
    {
        var first = new FaceCandidate(0.5f, 0.5f, 0.2f, 0.2f, 0.9f, order: 0);
        var second = new FaceCandidate(0.5f, 0.5f, 0.2f, 0.2f, 0.3f, order: 1);
        first.Geometry[4] = 0.40f;
        second.Geometry[4] = 0.48f;

        List<FaceCandidate> kept = NonMaximumSuppression.Apply(new[] { first, second }, 0.3f, SuppressionMode.Weighted, 10);

        FaceCandidate merged = Assert.Single(kept);
        Assert.Equal((0.40f * 0.9f + 0.48f * 0.3f) / 1.2f, merged.KeypointX(0), 1e-6f);
        Assert.Equal(0.9f, merged.Score);
    }

    [Fact]
    public void CandidatesJustBelowTheThresholdAreBothKept()
    {
        // IoU 1/3 with the first, against a threshold of 0.34: distinct faces.
        FaceCandidate[] candidates =
        [
            new(0.5f, 0.5f, 0.2f, 0.2f, 0.9f, order: 0),
            new(0.6f, 0.5f, 0.2f, 0.2f, 0.8f, order: 1),
        ];

        Assert.Equal(2, NonMaximumSuppression.Apply(candidates, 0.34f, SuppressionMode.Hard, 10).Count);
        Assert.Single(NonMaximumSuppression.Apply(candidates, 0.33f, SuppressionMode.Hard, 10));
    }

    [Fact]
    public void TheBestAreKeptUpToTheLimitAndEqualScoresKeepTheirOrder()
    {
        var candidates = new FaceCandidate[6];
        for (int i = 0; i < candidates.Length; i++)
        {
            candidates[i] = new FaceCandidate(0.1f + 0.15f * i, 0.5f, 0.1f, 0.1f, i < 3 ? 0.8f : 0.9f, order: i);
        }

        List<FaceCandidate> kept = NonMaximumSuppression.Apply(candidates, 0.3f, SuppressionMode.Weighted, 4);

        Assert.Equal(new[] { 3, 4, 5, 0 }, kept.Select(c => c.Order));
    }

    [Fact]
    public void NoCandidatesGiveNoDetections()
    {
        Assert.Empty(NonMaximumSuppression.Apply([], 0.3f, SuppressionMode.Weighted, 10));
    }
}
