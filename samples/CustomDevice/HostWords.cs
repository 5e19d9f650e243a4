using System.Runtime.InteropServices;

namespace CustomDevice;

/// <summary>
/// Words in host memory that the loop and the device thread address directly, each alone on its cache line: the
/// stand-in for memory a GPU or a NIC writes through a mapping (a completion counter, a doorbell). Native memory,
/// so the addresses never move; freed once both sides are done with it.
/// </summary>
internal sealed unsafe class HostWords
{
    private const int Line = 64;

    private byte* _base;

    internal HostWords(int count)
    {
        Count = count;
        _base = (byte*)NativeMemory.AlignedAlloc((nuint)(count * Line), Line);
        NativeMemory.Clear(_base, (nuint)(count * Line));
    }

    internal int Count { get; }

    /// <summary>The address of word <paramref name="index"/>, for <see cref="Volatile"/> and <see cref="Interlocked"/> access.</summary>
    internal long* Word(int index)
    {
        ObjectDisposedException.ThrowIf(_base is null, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return (long*)(_base + (index * Line));
    }

    /// <summary>Frees the words; callers make sure nobody addresses them any more.</summary>
    internal void Free()
    {
        if (_base is not null)
        {
            NativeMemory.AlignedFree(_base);
            _base = null;
        }
    }
}
