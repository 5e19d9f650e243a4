using InferenceServer.Models;
using InferenceServer.Protocol;
using Interlude.Inference;
using TensorDataType = InferenceServer.Protocol.TensorDataType;

namespace InferenceServer.Text;

/// <summary>
/// The embedder through the protocol: input <c>text</c> (BYTES, one string per row), output <c>embedding</c>
/// (FP32, one unit vector per row). Texts over the token limit are refused (400); <c>/embed</c> can truncate.
/// </summary>
internal sealed class TextEmbeddingModel(string name, EmbeddingService service) : IServedModel
{
    public string Name { get; } = name;

    public string Platform => "interlude_pipeline";

    public IReadOnlyList<Protocol.TensorMetadata> Inputs { get; } = [new("text", TensorDataType.Bytes, [-1])];

    public IReadOnlyList<Protocol.TensorMetadata> Outputs { get; } = [new("embedding", TensorDataType.Fp32, [-1, service.Embedder.Dimensions])];

    public bool IsReady => !service.Embedder.Device.IsDisposed;

    public InferenceModelStatistics GetStatistics() => service.Embedder.GetStatistics();

    public async ValueTask<IReadOnlyList<InferTensor>> InferAsync(IReadOnlyList<InferTensor> inputs, CancellationToken cancellationToken)
    {
        string[] texts = inputs[0].As<string>();
        float[][] embeddings = await service.EmbedAsync(texts, truncate: false, overLimitStatus: 400, cancellationToken).ConfigureAwait(false);
        int dimensions = service.Embedder.Dimensions;
        float[] data = new float[texts.Length * dimensions];
        for (int i = 0; i < embeddings.Length; i++)
        {
            embeddings[i].CopyTo(data, i * dimensions);
        }

        return [new InferTensor("embedding", TensorDataType.Fp32, [texts.Length, dimensions], data)];
    }
}
