using Interlude.Inference.Vision.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Xunit;
using Xunit.Abstractions;

namespace Interlude.Inference.Vision.Tests;

/// <summary>The model descriptions against what ONNX Runtime reads from the files.</summary>
public sealed class ModelDescriptionTests(ITestOutputHelper output)
{
    [BlazeFaceFact]
    public void TheDescriptionsMatchTheFiles()
    {
        foreach (BlazeFaceModel model in new[] { BlazeFaceModel.Front, BlazeFaceModel.Back })
        {
            using var runner = new BlazeFaceRunner(model);
            InferenceSession session = runner.Session;

            NodeMetadata input = Assert.Single(session.InputMetadata, i => i.Key == model.Input.Name).Value;
            Assert.Equal(typeof(float), input.ElementType);
            Assert.Equal(model.Input.Shape, input.Dimensions.Select(d => (long)d));
            Assert.Single(session.InputMetadata);

            Assert.Equal(model.Outputs.Select(o => o.Name), session.OutputNames);
            foreach (TensorDescription output in model.Outputs)
            {
                NodeMetadata metadata = session.OutputMetadata[output.Name];
                Assert.Equal(typeof(float), metadata.ElementType);
                Assert.Equal(output.Shape, metadata.Dimensions.Select(d => (long)d));
            }
        }
    }

    [BlazeFaceFact]
    public void TheFilesTakeABatchOfOneOnly()
    {
        // The input's batch dimension is fixed at 1 in the files, and the graph reshapes to batch 1: a batching
        // runtime must run these models one image per call (BlazeFaceModel.MaxBatchSize).
        BlazeFaceModel model = BlazeFaceModel.Front;
        Assert.Equal(1, model.MaxBatchSize);
        using var runner = new BlazeFaceRunner(model);
        using OrtValue pair = OrtValue.CreateTensorValueFromMemory(new float[2 * model.InputLength], [2, 128, 128, 3]);
        using var runOptions = new RunOptions();

        OnnxRuntimeException exception = Assert.Throws<OnnxRuntimeException>(() =>
            runner.Session.Run(runOptions, [model.Input.Name], [pair], runner.Session.OutputNames).Dispose());
        Assert.Contains("dimensions", exception.Message, StringComparison.OrdinalIgnoreCase);
        output.WriteLine(exception.Message);
    }
}
