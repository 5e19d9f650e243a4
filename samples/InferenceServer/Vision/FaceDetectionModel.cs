using InferenceServer.Models;
using InferenceServer.Protocol;
using Interlude.Inference;
using Interlude.Inference.Vision;
using TensorDataType = InferenceServer.Protocol.TensorDataType;

namespace InferenceServer.Vision;

/// <summary>
/// Face detection through the protocol: input <c>image</c> (BYTES, one base64-encoded PNG, JPEG or WebP), outputs
/// <c>boxes</c> (FP32 [n, 4]: x, y, width, height in the image's pixels), <c>scores</c> (FP32 [n]) and
/// <c>keypoints</c> (FP32 [n, 6, 2]: eyes, nose, mouth, ears).
/// </summary>
internal sealed class FaceDetectionModel(string name, FaceService faces) : IServedModel
{
    public string Name { get; } = name;

    public string Platform => "interlude_pipeline";

    public IReadOnlyList<Protocol.TensorMetadata> Inputs { get; } = [new("image", TensorDataType.Bytes, [1])];

    public IReadOnlyList<Protocol.TensorMetadata> Outputs { get; } =
    [
        new("boxes", TensorDataType.Fp32, [-1, 4]),
        new("scores", TensorDataType.Fp32, [-1]),
        new("keypoints", TensorDataType.Fp32, [-1, 6, 2]),
    ];

    public bool IsReady => !faces.Model.Device.IsDisposed;

    public InferenceModelStatistics GetStatistics() => faces.Model.GetStatistics();

    public async ValueTask<IReadOnlyList<InferTensor>> InferAsync(IReadOnlyList<InferTensor> inputs, CancellationToken cancellationToken)
    {
        byte[] image;
        try
        {
            image = Convert.FromBase64String(inputs[0].As<string>()[0]);
        }
        catch (FormatException)
        {
            throw InferenceRequestException.BadRequest("Input 'image' must be a base64-encoded image (PNG, JPEG or WebP).");
        }

        (_, IReadOnlyList<FaceDetection> detections) = await faces.DetectAsync(image, cancellationToken).ConfigureAwait(false);
        int n = detections.Count;
        float[] boxes = new float[n * 4];
        float[] scores = new float[n];
        float[] keypoints = new float[n * 12];
        for (int i = 0; i < n; i++)
        {
            FaceDetection face = detections[i];
            boxes[(i * 4) + 0] = face.Box.X;
            boxes[(i * 4) + 1] = face.Box.Y;
            boxes[(i * 4) + 2] = face.Box.Width;
            boxes[(i * 4) + 3] = face.Box.Height;
            scores[i] = face.Score;
            for (int k = 0; k < 6; k++)
            {
                keypoints[(i * 12) + (k * 2)] = face.Keypoints[k].X;
                keypoints[(i * 12) + (k * 2) + 1] = face.Keypoints[k].Y;
            }
        }

        return
        [
            new InferTensor("boxes", TensorDataType.Fp32, [n, 4], boxes),
            new InferTensor("scores", TensorDataType.Fp32, [n], scores),
            new InferTensor("keypoints", TensorDataType.Fp32, [n, 6, 2], keypoints),
        ];
    }
}
