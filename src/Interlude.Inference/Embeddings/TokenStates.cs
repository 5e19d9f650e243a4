using System.Buffers;

namespace Interlude.Inference;

/// <summary>
/// What the device hands back for one text: the last hidden state of each of its tokens (padding excluded), in a
/// buffer rented from its model's pool. Filled by the device thread; read, pooled and returned to the pool by the
/// caller once the operation has completed (the seam's completion publishes it).
/// </summary>
internal readonly struct TokenStates(float[] buffer, int tokens, int dimensions, ArrayPool<float> pool)
{
    public int Tokens { get; } = tokens;

    public int Dimensions { get; } = dimensions;

    public ReadOnlySpan<float> Span => buffer.AsSpan(0, Tokens * Dimensions);

    /// <summary>Caller's thread, once, after the last read of <see cref="Span"/>.</summary>
    public void Return() => pool.Return(buffer);
}
