namespace Interlude.Inference.Vision;

/// <summary>How non-maximum suppression merges the overlapping candidates of one face.</summary>
public enum SuppressionMode
{
    /// <summary>
    /// Each kept detection is the score-weighted mean of the candidates it suppresses (box and keypoints), with
    /// the best candidate's score: steadier boxes, and what MediaPipe does for BlazeFace.
    /// </summary>
    Weighted,

    /// <summary>The best candidate is kept as it is and the others that overlap it are dropped.</summary>
    Hard,
}
