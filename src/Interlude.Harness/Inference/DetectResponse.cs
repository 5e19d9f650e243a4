using Interlude.Inference.Vision;

namespace Interlude.Harness.Inference;

/// <summary>
/// The answer of the bench's own <c>POST /detect</c> handlers (aspnet-ort, blocking, busywait), serialized by the
/// minimal API in the server's shape: <c>{"width", "height", "faces": [{"box": {"x", "y", "width", "height"},
/// "score", "keypoints": [{"name", "x", "y"}]}]}</c>.
/// </summary>
public sealed record DetectResponse(int Width, int Height, IReadOnlyList<DetectResponse.Face> Faces)
{
    private static readonly string[] s_keypoints = Enum.GetNames<FaceKeypoint>();

    public static DetectResponse From(ImageFrame frame, IReadOnlyList<FaceDetection> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        return new DetectResponse(
            frame.SourceWidth,
            frame.SourceHeight,
            [.. detections.Select(d => new Face(
                new Box(d.Box.X, d.Box.Y, d.Box.Width, d.Box.Height),
                d.Score,
                [.. d.Keypoints.Select((p, k) => new Keypoint(s_keypoints[k], p.X, p.Y))]))]);
    }

    /// <summary>One face.</summary>
    public sealed record Face(Box Box, float Score, IReadOnlyList<Keypoint> Keypoints);

    /// <summary>A face's box in the image's pixels.</summary>
    public sealed record Box(float X, float Y, float Width, float Height);

    /// <summary>A named point of a face in the image's pixels.</summary>
    public sealed record Keypoint(string Name, float X, float Y);
}
