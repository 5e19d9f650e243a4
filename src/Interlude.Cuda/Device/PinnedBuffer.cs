using Interlude.Cuda.Interop;

namespace Interlude.Cuda;

/// <summary>Page-locked host memory (cuMemHostAlloc, portable) that the GPU copies from and to asynchronously.</summary>
public sealed unsafe class PinnedBuffer<T> : IDisposable
    where T : unmanaged
{
    private void* _pointer;

    /// <summary>Allocates <paramref name="length"/> elements, zeroed.</summary>
    public PinnedBuffer(CudaDevice device, int length)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        device.MakeCurrent();
        Length = length;
        void* pointer;
        CudaErrors.Check(Driver.cuMemHostAlloc(&pointer, Bytes, Driver.MemHostAllocPortable), "cuMemHostAlloc");
        _pointer = pointer;
        Span.Clear();
    }

    /// <summary>Elements.</summary>
    public int Length { get; }

    /// <summary>The memory. Do not touch it while a copy from or to it is in flight.</summary>
    public Span<T> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_pointer is null, this);
            return new Span<T>(_pointer, Length);
        }
    }

    internal void* Pointer => _pointer;

    internal nuint Bytes => (nuint)Length * (nuint)sizeof(T);

    /// <summary>Frees the memory (cuMemFreeHost).</summary>
    public void Dispose()
    {
        if (_pointer is not null)
        {
            _ = Driver.cuMemFreeHost(_pointer);
            _pointer = null;
        }
    }
}
