namespace Interlude.Inference;

/// <summary>
/// One device thread's reusable input buffers: a batch's inputs are assembled in them and handed to ONNX Runtime
/// without allocating once they have grown to the largest batch seen. Device thread only.
/// </summary>
internal sealed class BatchScratch
{
    private float[][] _floats = [];
    private int[][] _ints = [];
    private long[][] _longs = [];

    /// <summary>The buffer in <paramref name="slot"/>, at least <paramref name="length"/> long; its content is stale.</summary>
    public float[] Floats(int slot, int length) => Get(ref _floats, slot, length);

    /// <inheritdoc cref="Floats"/>
    public int[] Ints(int slot, int length) => Get(ref _ints, slot, length);

    /// <inheritdoc cref="Floats"/>
    public long[] Longs(int slot, int length) => Get(ref _longs, slot, length);

    private static T[] Get<T>(ref T[][] buffers, int slot, int length)
    {
        if (slot >= buffers.Length)
        {
            int old = buffers.Length;
            Array.Resize(ref buffers, slot + 1);
            for (int i = old; i < buffers.Length; i++)
            {
                buffers[i] = [];
            }
        }

        if (buffers[slot].Length < length)
        {
            buffers[slot] = new T[(int)Math.Min(Array.MaxLength, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)length))];
        }

        return buffers[slot];
    }
}
