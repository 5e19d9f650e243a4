using InferenceServer.Protocol;
using Interlude.Inference;

namespace InferenceServer.Text;

/// <summary>
/// Sentence embeddings for both endpoints (<c>/embed</c> and the protocol's <c>minilm</c> model): the embedder
/// truncates when asked; otherwise a text over its token limit is refused here, naming the limit, before anything
/// reaches the device.
/// </summary>
internal sealed class EmbeddingService
{
    public EmbeddingService(TextEmbedder embedder, int maxInputs)
    {
        Embedder = embedder;
        MaxInputs = maxInputs;
    }

    /// <summary>Loaded with truncation on: whether a request may be truncated is decided per request, here.</summary>
    public TextEmbedder Embedder { get; }

    /// <summary>The most texts one request may carry.</summary>
    public int MaxInputs { get; }

    public async ValueTask<float[][]> EmbedAsync(IReadOnlyList<string> texts, bool truncate, int overLimitStatus, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            throw new InferenceRequestException(overLimitStatus, "There is no text to embed.");
        }

        if (texts.Count > MaxInputs)
        {
            throw new InferenceRequestException(413, $"{texts.Count} texts in one request; this server takes at most {MaxInputs}.");
        }

        if (!truncate)
        {
            for (int i = 0; i < texts.Count; i++)
            {
                int tokens = Embedder.CountTokens(texts[i]);
                if (tokens > Embedder.MaxSequenceLength)
                {
                    throw new InferenceRequestException(
                        overLimitStatus,
                        $"Text {i} has {tokens} tokens; the model takes at most {Embedder.MaxSequenceLength}. Shorten it, or ask for truncation.");
                }
            }
        }

        return await Embedder.EmbedAsync(texts, cancellationToken).ConfigureAwait(false);
    }
}
