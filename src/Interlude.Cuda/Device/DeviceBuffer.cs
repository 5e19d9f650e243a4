using Interlude.Cuda.Interop;

namespace Interlude.Cuda;

/// <summary>GPU memory (cuMemAlloc_v2).</summary>
public sealed unsafe class DeviceBuffer<T> : IDisposable
    where T : unmanaged
{
    private readonly CudaDevice _device;

    /// <summary>Allocates <paramref name="length"/> elements (not zeroed).</summary>
    /// <exception cref="CudaException">CUDA_ERROR_OUT_OF_MEMORY and the like.</exception>
    public DeviceBuffer(CudaDevice device, long length)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        _device = device;
        device.MakeCurrent();
        Length = length;
        ulong pointer;
        CudaErrors.Check(Driver.cuMemAlloc_v2(&pointer, (nuint)length * (nuint)sizeof(T)), "cuMemAlloc_v2");
        Pointer = pointer;
    }

    /// <summary>Elements.</summary>
    public long Length { get; }

    internal ulong Pointer { get; private set; }

    /// <summary>Frees the memory (cuMemFree_v2).</summary>
    public void Dispose()
    {
        if (Pointer != 0)
        {
            _device.MakeCurrent();
            _ = Driver.cuMemFree_v2(Pointer);
            Pointer = 0;
        }
    }
}
