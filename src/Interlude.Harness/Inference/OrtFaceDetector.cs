using Interlude.Inference.Vision;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Interlude.Harness.Inference;

/// <summary>
/// BlazeFace (front camera, 128x128) the way an ASP.NET Core app usually runs it: one shared
/// <see cref="InferenceSession"/> on the model file scripts/fetch-models.sh fetches, called inline by the request's
/// thread, with the vision library's pre- and post-processing (decode and letterbox; anchors, threshold and
/// suppression), the same the inference server runs around the device. ONNX Runtime's own pool is held to one thread.
/// </summary>
public sealed class OrtFaceDetector : IDisposable
{
    private readonly InferenceSession _session;
    private readonly FaceDetector _detector = new(BlazeFaceModel.Front);

    /// <exception cref="FileNotFoundException">The model is not installed (scripts/fetch-models.sh).</exception>
    public OrtFaceDetector()
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        _session = new InferenceSession(ModelFiles.Locate(BlazeFaceModel.Front), options);
    }

    /// <summary>The faces in an encoded image.</summary>
    /// <exception cref="InvalidImageException">The bytes are not an image.</exception>
    public DetectResponse Detect(byte[] image)
    {
        BlazeFaceModel model = _detector.Model;
        var input = new DenseTensor<float>(model.Input.ToShapeArray().Select(d => (int)d).ToArray());
        ImageFrame frame = _detector.PrepareInput(image, input.Buffer.Span);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs = _session.Run([NamedOnnxValue.CreateFromTensor(model.Input.Name, input)]);
        float[] scores = Concatenate(outputs, model.ScoreOutputs, model.ScoreLength);
        float[] regressors = Concatenate(outputs, model.RegressorOutputs, model.RegressorLength);
        return DetectResponse.From(frame, _detector.Decode(regressors, scores, frame));
    }

    private static float[] Concatenate(IReadOnlyCollection<DisposableNamedOnnxValue> outputs, IReadOnlyList<TensorDescription> parts, int length)
    {
        float[] all = new float[length];
        int at = 0;
        foreach (TensorDescription part in parts)
        {
            float[] values = outputs.First(o => o.Name == part.Name).AsTensor<float>().ToArray();
            values.CopyTo(all, at);
            at += values.Length;
        }

        return all;
    }

    public void Dispose() => _session.Dispose();
}
