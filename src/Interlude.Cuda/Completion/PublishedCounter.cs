namespace Interlude.Cuda.Completion;

/// <summary>A counter published by a host thread: CUDA's callback thread (cuLaunchHostFunc) or a thread blocked in cuEventSynchronize.</summary>
/// <remarks><c>_value</c>: written (release) by the one producing thread, read (acquire) by the loop.</remarks>
internal sealed class PublishedCounter : ICompletionCounter
{
    private uint _value;

    internal PublishedCounter(uint initial) => _value = initial;

    public uint Read() => Volatile.Read(ref _value);

    /// <summary>Producer thread: the submission numbered <paramref name="sequence"/> and all before it are complete.</summary>
    internal void Publish(uint sequence) => Volatile.Write(ref _value, sequence);
}
