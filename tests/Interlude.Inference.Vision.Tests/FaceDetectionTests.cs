using System.Drawing;
using Interlude.Inference.Vision.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Interlude.Inference.Vision.Tests;

/// <summary>The whole pipeline with the real models, run by ONNX Runtime directly.</summary>
public sealed class FaceDetectionTests(ITestOutputHelper output)
{
    [BlazeFaceFact]
    public void TheFrontModelFindsTheOneFaceInThePortrait()
    {
        IReadOnlyList<FaceDetection> faces = Detect(BlazeFaceModel.Front, TestImages.Astronaut(), out _);

        FaceDetection face = Assert.Single(faces);
        float iou = Boxes.IntersectionOverUnion(TestImages.AstronautFace, face.Box);
        Assert.True(iou > 0.5f, $"IoU {iou:0.00} with the expected face; found {face}");
        Assert.True(face.Score > 0.9f, $"score {face.Score}");

        // The landmarks where a face has them: the eyes above the nose, the nose above the mouth, the person's
        // right eye on the image's left, all inside the box.
        PointF rightEye = face[FaceKeypoint.RightEye];
        PointF leftEye = face[FaceKeypoint.LeftEye];
        PointF nose = face[FaceKeypoint.NoseTip];
        PointF mouth = face[FaceKeypoint.MouthCenter];
        Assert.True(rightEye.X < leftEye.X, $"eyes at {rightEye} and {leftEye}");
        Assert.True(Math.Max(rightEye.Y, leftEye.Y) < nose.Y && nose.Y < mouth.Y, $"eyes {rightEye} {leftEye}, nose {nose}, mouth {mouth}");
        foreach (PointF point in new[] { rightEye, leftEye, nose, mouth })
        {
            Assert.True(face.Box.Contains(point), $"{point} is outside {face.Box}");
        }
    }

    [BlazeFaceFact]
    public void TheFaceIsFoundInSourcePixelsWhereverThePortraitIsPlaced()
    {
        // The portrait enlarged twice and cut to a landscape canvas, the face off centre: the letterbox differs
        // (padding above and below), and the box must follow the face. The face keeps about the share of the
        // frame it has in the portrait, which the short-range model needs.
        byte[] placed = TestImages.Placed(TestImages.Astronaut(), 400, 250, left: -60, top: -20, scale: 2f);

        FaceDetection face = Assert.Single(Detect(BlazeFaceModel.Front, placed, out ImageFrame frame));

        Assert.Equal((400, 250), (frame.SourceWidth, frame.SourceHeight));
        RectangleF expected = TestImages.AstronautFaceWhenPlaced(-60, -20, 2f);
        float iou = Boxes.IntersectionOverUnion(expected, face.Box);
        Assert.True(iou > 0.5f, $"IoU {iou:0.00} with the expected face at {expected}; found {face}");
    }

    [BlazeFaceFact]
    public void ImagesWithoutAFaceGiveNoDetections()
    {
        Assert.Empty(Detect(BlazeFaceModel.Front, TestImages.Gradient(320, 240), out _));
        Assert.Empty(Detect(BlazeFaceModel.Front, TestImages.Noise(200, 200, seed: 7), out _));
        Assert.Empty(Detect(BlazeFaceModel.Back, TestImages.Gradient(240, 320), out _));
        Assert.Empty(Detect(BlazeFaceModel.Back, TestImages.Noise(256, 256, seed: 11), out _));
    }

    [BlazeFaceFact]
    public void TheBackModelDecodesWithTheSameAnchors()
    {
        // The full-range model is made for faces further away; on a small copy of the portrait it still finds
        // the face, through the same decoding at its own input size.
        byte[] placed = TestImages.Placed(TestImages.Astronaut(), 1024, 768, left: 500, top: 200);

        FaceDetection face = Assert.Single(Detect(BlazeFaceModel.Back, placed, out _));

        RectangleF expected = TestImages.AstronautFaceWhenPlaced(500, 200);
        float iou = Boxes.IntersectionOverUnion(expected, face.Box);
        Assert.True(iou > 0.5f, $"IoU {iou:0.00} with the expected face at {expected}; found {face}");
    }

    [BlazeFaceFact]
    public void TheFrontModelScoresThePortraitHighestInTheRangeItIsGiven()
    {
        // How the input range was confirmed: [-1, 1] gives the face a higher score than [0, 1], and [0, 255]
        // loses it altogether.
        using var runner = new BlazeFaceRunner(BlazeFaceModel.Front);
        byte[] portrait = TestImages.Astronaut();
        float InRange(float minimum, float maximum)
        {
            float[] input = new float[BlazeFaceModel.Front.InputLength];
            ImagePreprocessor.Letterbox(portrait, input, new TensorFormat(128, 128, TensorLayout.Nhwc, minimum, maximum), new FaceDetectorOptions());
            return runner.BestLogit(input);
        }

        float expected = InRange(BlazeFaceModel.Front.InputMinimum, BlazeFaceModel.Front.InputMaximum);
        float unit = InRange(0f, 1f);
        float bytes = InRange(0f, 255f);
        output.WriteLine($"best logit: [-1, 1] {expected:0.00}, [0, 1] {unit:0.00}, [0, 255] {bytes:0.00}");

        Assert.True(expected > unit, $"[-1, 1] {expected}, [0, 1] {unit}");
        Assert.True(bytes < 0f, $"[0, 255] {bytes}");
    }

    [BlazeFaceFact]
    public void IdenticalRunsGiveIdenticalOutputs()
    {
        var detector = new FaceDetector(BlazeFaceModel.Front);
        using var runner = new BlazeFaceRunner(BlazeFaceModel.Front);
        float[] input = new float[BlazeFaceModel.Front.InputLength];
        ImageFrame frame = detector.PrepareInput(TestImages.Astronaut(), input);

        (float[] regressors1, float[] scores1) = runner.Run(input);
        (float[] regressors2, float[] scores2) = runner.Run((float[])input.Clone());

        Assert.Equal(regressors1, regressors2);
        Assert.Equal(scores1, scores2);
        FaceDetection first = Assert.Single(detector.Decode(regressors1, scores1, frame));
        FaceDetection second = Assert.Single(detector.Decode(regressors2, scores2, frame));
        Assert.Equal(first.Box, second.Box);
        Assert.Equal(first.Keypoints, second.Keypoints);
    }

    [BlazeFaceFact]
    public void AnImageGivesTheSameOutputsAloneAsBetweenOthersInOneSession()
    {
        // What a device that serves requests one image per call must hold to: no state carried between calls.
        var detector = new FaceDetector(BlazeFaceModel.Front);
        float[] portrait = new float[BlazeFaceModel.Front.InputLength];
        float[] noise = new float[BlazeFaceModel.Front.InputLength];
        detector.PrepareInput(TestImages.Astronaut(), portrait);
        detector.PrepareInput(TestImages.Noise(128, 128, seed: 3), noise);

        float[] alone;
        using (var runner = new BlazeFaceRunner(BlazeFaceModel.Front))
        {
            alone = runner.Run(portrait).Regressors;
        }

        using var shared = new BlazeFaceRunner(BlazeFaceModel.Front);
        shared.Run(noise);
        float[] between = shared.Run(portrait).Regressors;
        shared.Run(noise);

        Assert.Equal(alone, between);
    }

    [BlazeFaceFact]
    public async Task OneDetectorServesManyThreadsAtOnce()
    {
        // What a server does with one detector per model: every loop prepares and decodes with it concurrently.
        var detector = new FaceDetector(BlazeFaceModel.Front);
        byte[] portrait = TestImages.Astronaut();
        float[] input = new float[BlazeFaceModel.Front.InputLength];
        ImageFrame frame = detector.PrepareInput(portrait, input);
        (float[] regressors, float[] scores) outputs;
        using (var runner = new BlazeFaceRunner(BlazeFaceModel.Front))
        {
            outputs = runner.Run(input);
        }

        FaceDetection reference = Assert.Single(detector.Decode(outputs.regressors, outputs.scores, frame));
        Task[] workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            float[] own = new float[BlazeFaceModel.Front.InputLength];
            for (int i = 0; i < 20; i++)
            {
                ImageFrame ownFrame = detector.PrepareInput(portrait, own);
                Assert.Equal(input, own);
                FaceDetection face = Assert.Single(detector.Decode(outputs.regressors, outputs.scores, ownFrame));
                Assert.Equal(reference.Box, face.Box);
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
    }

    private IReadOnlyList<FaceDetection> Detect(BlazeFaceModel model, byte[] image, out ImageFrame frame)
    {
        var detector = new FaceDetector(model);
        using var runner = new BlazeFaceRunner(model);
        float[] input = new float[model.InputLength];
        frame = detector.PrepareInput(image, input);
        (float[] regressors, float[] scores) = runner.Run(input);
        IReadOnlyList<FaceDetection> faces = detector.Decode(regressors, scores, frame);
        output.WriteLine($"{model}: {frame}: {string.Join("; ", faces)}");
        return faces;
    }
}
