using InferenceServer.Protocol;

namespace InferenceServer.Models;

/// <summary>
/// A model the server serves through the Open Inference Protocol: what it takes and gives, whether it is ready,
/// and one inference. The server checks every request against <see cref="Inputs"/> before calling
/// <see cref="InferAsync"/>, so an implementation receives exactly the declared inputs, in any order.
/// </summary>
public interface IServedModel
{
    string Name { get; }

    /// <summary>The protocol's <c>platform</c>, for example <c>onnxruntime_onnx</c>.</summary>
    string Platform { get; }

    IReadOnlyList<TensorMetadata> Inputs { get; }

    IReadOnlyList<TensorMetadata> Outputs { get; }

    bool IsReady { get; }

    /// <summary>Runs the model on checked inputs; returns every output in <see cref="Outputs"/>.</summary>
    /// <exception cref="InferenceRequestException">An input the declared shape allows but the model cannot take (over a length limit).</exception>
    ValueTask<IReadOnlyList<InferTensor>> InferAsync(IReadOnlyList<InferTensor> inputs, CancellationToken cancellationToken);

    /// <summary>Batches, queue delay and latency so far, for the metrics endpoint.</summary>
    Interlude.Inference.InferenceModelStatistics GetStatistics();
}
