namespace Interlude.Inference.Vision;

/// <summary>
/// A decoded candidate face before suppression: its geometry in one coordinate space (normalized input
/// coordinates when it comes from the model), its score, and its anchor's index as a stable tie-breaker.
/// </summary>
internal struct FaceCandidate
{
    public CandidateGeometry Geometry;

    public float Score;

    public int Order;

    public FaceCandidate(float centerX, float centerY, float width, float height, float score, int order = 0)
    {
        Geometry[0] = centerX;
        Geometry[1] = centerY;
        Geometry[2] = width;
        Geometry[3] = height;
        Score = score;
        Order = order;
    }

    public readonly float CenterX => Geometry[0];

    public readonly float CenterY => Geometry[1];

    public readonly float Width => Geometry[2];

    public readonly float Height => Geometry[3];

    /// <summary>Keypoint <paramref name="index"/>'s x (0 to 5).</summary>
    public readonly float KeypointX(int index) => Geometry[4 + 2 * index];

    /// <summary>Keypoint <paramref name="index"/>'s y (0 to 5).</summary>
    public readonly float KeypointY(int index) => Geometry[5 + 2 * index];

    /// <summary>A copy whose geometry is multiplied by <paramref name="factor"/>; the score and order are kept.</summary>
    public readonly FaceCandidate Scaled(float factor)
    {
        FaceCandidate result = this;
        for (int i = 0; i < CandidateGeometry.Length; i++)
        {
            result.Geometry[i] *= factor;
        }

        return result;
    }

    /// <summary>Adds <paramref name="other"/>'s geometry, multiplied by <paramref name="weight"/>, to this one's.</summary>
    public void Accumulate(in FaceCandidate other, float weight)
    {
        for (int i = 0; i < CandidateGeometry.Length; i++)
        {
            Geometry[i] += other.Geometry[i] * weight;
        }
    }
}
