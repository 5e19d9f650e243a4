using Microsoft.ML.OnnxRuntime;

namespace Interlude.Inference.Vision.Tests.Infrastructure;

/// <summary>
/// Runs a BlazeFace model with ONNX Runtime directly, as a device would: the input from a float buffer, and each
/// output written by the runtime straight into its slice of one regressor buffer and one score buffer, the
/// concatenation <see cref="FaceDetector.Decode"/> takes.
/// </summary>
internal sealed class BlazeFaceRunner : IDisposable
{
    private readonly InferenceSession _session;

    public BlazeFaceRunner(BlazeFaceModel model)
    {
        Model = model;
        // One thread, as on a device's dedicated core; errors only (the files carry unused initializers that
        // ONNX Runtime warns about on every load).
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        _session = new InferenceSession(ModelFiles.Locate(model), options);
    }

    public BlazeFaceModel Model { get; }

    public InferenceSession Session => _session;

    /// <summary>The best score (a logit) the model gives the input, over all anchors.</summary>
    public float BestLogit(float[] input) => Run(input).Scores.Max();

    public (float[] Regressors, float[] Scores) Run(float[] input)
    {
        float[] regressors = new float[Model.RegressorLength];
        float[] scores = new float[Model.ScoreLength];
        var outputNames = new List<string>();
        var outputValues = new List<OrtValue>();
        try
        {
            Bind(Model.RegressorOutputs, regressors, outputNames, outputValues);
            Bind(Model.ScoreOutputs, scores, outputNames, outputValues);
            using OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(input, Model.Input.ToShapeArray());
            using var runOptions = new RunOptions();
            _session.Run(runOptions, [Model.Input.Name], [inputValue], outputNames, outputValues);
        }
        finally
        {
            foreach (OrtValue value in outputValues)
            {
                value.Dispose();
            }
        }

        return (regressors, scores);
    }

    public void Dispose() => _session.Dispose();

    private static void Bind(IReadOnlyList<TensorDescription> outputs, float[] buffer, List<string> names, List<OrtValue> values)
    {
        int offset = 0;
        foreach (TensorDescription output in outputs)
        {
            int length = checked((int)output.ElementCount);
            names.Add(output.Name);
            values.Add(OrtValue.CreateTensorValueFromMemory(
                OrtMemoryInfo.DefaultInstance, buffer.AsMemory(offset, length), output.ToShapeArray()));
            offset += length;
        }
    }
}
