using System.Drawing;
using Xunit;

namespace Interlude.Inference.Vision.Tests;

/// <summary>Decoding hand-made outputs: the anchor arithmetic, the threshold, and the mapping to source pixels.</summary>
public sealed class DecodeTests
{
    // Anchor 0 of cell (x 2, y 3) of the 8x8 grid: centre (2.5 / 8, 3.5 / 8).
    private const int Anchor = 512 + (3 * 8 + 2) * 6;

    private static readonly BlazeFaceModel s_model = BlazeFaceModel.Front;

    [Fact]
    public void OneConfidentAnchorDecodesToItsBoxAndKeypointsInSourcePixels()
    {
        (float[] regressors, float[] scores) = Outputs();
        SetAnchor(regressors, scores, Anchor, logit: 5f);
        var detector = new FaceDetector(s_model);
        ImageFrame frame = ImageFrame.Letterbox(640, 480, 128, 128); // content at (0, 16), 0.2 input pixels per source pixel

        FaceDetection face = Assert.Single(detector.Decode(regressors, scores, frame));

        // Centre (44, 48) in input pixels, 32x40: (28, 28) to (60, 68), so (140, 60) and 160x200 in the source.
        AssertClose(new RectangleF(140, 60, 160, 200), face.Box);
        Assert.Equal(1f / (1f + MathF.Exp(-5f)), face.Score, 1e-6f);
        Assert.Equal(6, face.Keypoints.Count);

        // Keypoint k is offset (k + 1, 2k + 2) input pixels from the anchor's centre (40, 56).
        for (int k = 0; k < 6; k++)
        {
            PointF expected = frame.ToSource(new PointF(40 + (k + 1), 56 + (2 * k + 2)));
            Assert.Equal(expected.X, face.Keypoints[k].X, 1e-3f);
            Assert.Equal(expected.Y, face.Keypoints[k].Y, 1e-3f);
        }

        Assert.Equal(face.Keypoints[2], face[FaceKeypoint.NoseTip]);
    }

    [Fact]
    public void ScoresBelowTheThresholdOrNotANumberGiveNothing()
    {
        (float[] regressors, float[] scores) = Outputs();
        var detector = new FaceDetector(s_model, new FaceDetectorOptions { ScoreThreshold = 0.75f });
        ImageFrame frame = ImageFrame.Letterbox(128, 128, 128, 128);

        SetAnchor(regressors, scores, Anchor, logit: MathF.Log(0.74f / 0.26f));
        Assert.Empty(detector.Decode(regressors, scores, frame));

        scores[Anchor] = float.NaN;
        Assert.Empty(detector.Decode(regressors, scores, frame));

        scores[Anchor] = 1e30f; // clipped before the sigmoid
        Assert.Equal(1f, Assert.Single(detector.Decode(regressors, scores, frame)).Score);
    }

    [Fact]
    public void TheAnchorsOfOneFaceMergeIntoOneDetection()
    {
        (float[] regressors, float[] scores) = Outputs();
        for (int a = 0; a < 6; a++)
        {
            SetAnchor(regressors, scores, Anchor + a, logit: 2f + a);
        }

        var detector = new FaceDetector(s_model);
        FaceDetection face = Assert.Single(detector.Decode(regressors, scores, ImageFrame.Letterbox(128, 128, 128, 128)));

        Assert.Equal(1f / (1f + MathF.Exp(-7f)), face.Score, 1e-6f);
        AssertClose(new RectangleF(28, 28, 32, 40), face.Box);
    }

    [Fact]
    public void DistinctFacesComeBestFirst()
    {
        (float[] regressors, float[] scores) = Outputs();
        SetAnchor(regressors, scores, Anchor, logit: 2f);
        SetAnchor(regressors, scores, 0, logit: 4f); // the top left anchor of the 16x16 grid

        IReadOnlyList<FaceDetection> faces = new FaceDetector(s_model).Decode(regressors, scores, ImageFrame.Letterbox(128, 128, 128, 128));

        Assert.Equal(2, faces.Count);
        Assert.True(faces[0].Score > faces[1].Score);
        Assert.True(faces[0].Box.X < faces[1].Box.X);
    }

    [Fact]
    public void OutputsOfTheWrongSizeOrAFrameForAnotherInputAreRejected()
    {
        (float[] regressors, float[] scores) = Outputs();
        var detector = new FaceDetector(s_model);
        ImageFrame frame = ImageFrame.Letterbox(100, 100, 128, 128);

        Assert.Throws<ArgumentException>("regressors", () => detector.Decode(regressors.AsSpan(1), scores, frame));
        Assert.Throws<ArgumentException>("scores", () => detector.Decode(regressors, scores.AsSpan(0, 512), frame));
        Assert.Throws<ArgumentException>("frame", () => detector.Decode(regressors, scores, default));
        Assert.Throws<ArgumentException>("frame", () => detector.Decode(regressors, scores, ImageFrame.Letterbox(100, 100, 256, 256)));
    }

    [Fact]
    public void BadOptionsAreRejectedAndTheDetectorKeepsItsOwnCopy()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaceDetector(s_model, new FaceDetectorOptions { ScoreThreshold = 1.5f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaceDetector(s_model, new FaceDetectorOptions { IouThreshold = 0f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaceDetector(s_model, new FaceDetectorOptions { MaxDetections = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaceDetector(s_model, new FaceDetectorOptions { Suppression = (SuppressionMode)7 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaceDetector(s_model, new FaceDetectorOptions { MaxImagePixels = 0 }));

        var options = new FaceDetectorOptions { ScoreThreshold = 0.6f };
        var detector = new FaceDetector(s_model, options);
        options.ScoreThreshold = 0.9f;
        detector.Options.ScoreThreshold = 0.9f;
        Assert.Equal(0.6f, detector.Options.ScoreThreshold);
    }

    private static (float[] Regressors, float[] Scores) Outputs()
    {
        float[] scores = new float[s_model.ScoreLength];
        Array.Fill(scores, -10f);
        return (new float[s_model.RegressorLength], scores);
    }

    // The box centre offset (4, -8) and size 32x40, and keypoint k offset (k + 1, 2k + 2), in input pixels.
    private static void SetAnchor(float[] regressors, float[] scores, int anchor, float logit)
    {
        scores[anchor] = logit;
        Span<float> values = regressors.AsSpan(anchor * 16, 16);
        values[0] = 4;
        values[1] = -8;
        values[2] = 32;
        values[3] = 40;
        for (int k = 0; k < 6; k++)
        {
            values[4 + 2 * k] = k + 1;
            values[5 + 2 * k] = 2 * k + 2;
        }
    }

    private static void AssertClose(RectangleF expected, RectangleF actual)
    {
        Assert.Equal(expected.X, actual.X, 1e-3f);
        Assert.Equal(expected.Y, actual.Y, 1e-3f);
        Assert.Equal(expected.Width, actual.Width, 1e-3f);
        Assert.Equal(expected.Height, actual.Height, 1e-3f);
    }
}
