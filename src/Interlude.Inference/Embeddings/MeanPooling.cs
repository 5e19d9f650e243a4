namespace Interlude.Inference;

/// <summary>
/// Sentence-transformers' pooling for all-MiniLM-L6-v2: the mean of the token states the attention mask keeps
/// (every token of the text, none of the padding), then L2 normalization. Runs on the caller's thread.
/// </summary>
internal static class MeanPooling
{
    /// <summary>The embedding of a text whose <paramref name="tokens"/> token states are <paramref name="states"/>.</summary>
    public static float[] Pool(ReadOnlySpan<float> states, int tokens, int dimensions)
    {
        var embedding = new float[dimensions];
        for (int t = 0; t < tokens; t++)
        {
            ReadOnlySpan<float> token = states.Slice(t * dimensions, dimensions);
            for (int d = 0; d < dimensions; d++)
            {
                embedding[d] += token[d];
            }
        }

        float count = Math.Max(tokens, 1);
        double squares = 0;
        for (int d = 0; d < dimensions; d++)
        {
            embedding[d] /= count;
            squares += embedding[d] * (double)embedding[d];
        }

        float norm = (float)Math.Max(Math.Sqrt(squares), 1e-12);
        for (int d = 0; d < dimensions; d++)
        {
            embedding[d] /= norm;
        }

        return embedding;
    }
}
