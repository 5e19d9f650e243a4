namespace Interlude.Cuda.Completion;

/// <summary>
/// A 32-bit word in pinned, device-mapped host memory that the GPU writes after each submission's work
/// (cuStreamWriteValue32, which fences the stream's earlier writes first). Reading it is a load: no driver call.
/// </summary>
/// <remarks>The GPU (or a test's fake) writes the word; the loop reads it. Nothing else touches it.</remarks>
internal sealed unsafe class MappedCounter : ICompletionCounter
{
    private readonly uint* _word;

    internal MappedCounter(uint* word) => _word = word;

    public uint Read() => Volatile.Read(ref *_word);
}
