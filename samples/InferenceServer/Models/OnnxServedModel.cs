using InferenceServer.Protocol;
using Interlude.Inference;

namespace InferenceServer.Models;

/// <summary>An ONNX model on the inference device, served tensor in, tensor out: requests batch on the device.</summary>
internal sealed class OnnxServedModel : IServedModel
{
    private readonly InferenceModel _model;

    public OnnxServedModel(InferenceModel model)
    {
        _model = model;
        Inputs = [.. model.Inputs.Select(TensorConversion.ToProtocol)];
        Outputs = [.. model.Outputs.Select(TensorConversion.ToProtocol)];
    }

    public string Name => _model.Name;

    public string Platform => "onnxruntime_onnx";

    public IReadOnlyList<Protocol.TensorMetadata> Inputs { get; }

    public IReadOnlyList<Protocol.TensorMetadata> Outputs { get; }

    public bool IsReady => !_model.Device.IsDisposed;

    public InferenceModelStatistics GetStatistics() => _model.GetStatistics();

    public async ValueTask<IReadOnlyList<InferTensor>> InferAsync(IReadOnlyList<InferTensor> inputs, CancellationToken cancellationToken)
    {
        InferenceTensor[] tensors = [.. inputs.Select(TensorConversion.ToDevice)];
        IReadOnlyList<InferenceTensor> outputs;
        try
        {
            outputs = await _model.RunAsync(tensors, cancellationToken).ConfigureAwait(false);
        }
        catch (InferenceInputException e)
        {
            throw InferenceRequestException.BadRequest(e.Message);
        }

        return [.. outputs.Select(TensorConversion.ToProtocol)];
    }
}
