using System.Drawing;

namespace Interlude.Inference.Vision;

/// <summary>One face found in an image, in the pixel coordinates of the image as it was given (after its EXIF orientation).</summary>
public sealed class FaceDetection
{
    private readonly PointF[] _keypoints;

    internal FaceDetection(RectangleF box, float score, PointF[] keypoints)
    {
        Box = box;
        Score = score;
        _keypoints = keypoints;
    }

    /// <summary>
    /// The face's bounding box in source pixels. It is not clipped to the image: a face at the edge may have a box
    /// that reaches past it.
    /// </summary>
    public RectangleF Box { get; }

    /// <summary>The model's confidence, between 0 and 1.</summary>
    public float Score { get; }

    /// <summary>The six landmarks in source pixels, indexed by <see cref="FaceKeypoint"/>.</summary>
    public IReadOnlyList<PointF> Keypoints => _keypoints;

    /// <summary>One landmark, in source pixels.</summary>
    public PointF this[FaceKeypoint keypoint] => _keypoints[(int)keypoint];

    /// <summary>The score and box, for logs and test failures.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"face {Score:0.000} at ({Box.X:0.0}, {Box.Y:0.0}) {Box.Width:0.0}x{Box.Height:0.0}");
}
