using System.Buffers;

namespace Interlude.Inference;

/// <summary>
/// What the device hands back for one text: the last hidden state of each of its tokens (padding excluded), in a
/// buffer rented from <see cref="ArrayPool{T}.Shared"/>. Filled by the device thread; read, pooled and returned to
/// the pool by the caller once the operation has completed (the seam's completion publishes it).
/// </summary>
internal readonly struct TokenStates(float[] buffer, int tokens, int dimensions)
{
    public float[] Buffer { get; } = buffer;

    public int Tokens { get; } = tokens;

    public int Dimensions { get; } = dimensions;

    public ReadOnlySpan<float> Span => Buffer.AsSpan(0, Tokens * Dimensions);
}
