using Interlude.Cuda.Device;
using Interlude.Cuda.Interop;
using Interlude.Cuda.Work;

namespace Interlude.Cuda;

/// <summary>
/// The calling loop's stream, handed to the enqueue callback of <see cref="CudaDevice.SubmitAsync{TState}"/>: what
/// is enqueued through it runs in order on the GPU, before the submission's completion mark. Valid only inside
/// that callback.
/// </summary>
public readonly unsafe struct CudaStream
{
    private readonly CudaStreamQueue _queue;

    internal CudaStream(CudaStreamQueue queue) => _queue = queue;

    /// <summary>The CUstream handle, for callers with interop of their own.</summary>
    public nint Handle => _queue.Stream;

    /// <summary>Enqueues an asynchronous copy of the whole of <paramref name="source"/> to <paramref name="destination"/> (cuMemcpyHtoDAsync_v2).</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void CopyToDevice<T>(PinnedBuffer<T> source, DeviceBuffer<T> destination)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"The host buffer has {source.Length} elements, the device buffer {destination.Length}.", nameof(destination));
        }

        CudaErrors.Check(Driver.cuMemcpyHtoDAsync_v2(destination.Pointer, source.Pointer, source.Bytes, Handle), "cuMemcpyHtoDAsync_v2");
    }

    /// <summary>Enqueues an asynchronous copy of the whole of <paramref name="source"/> to <paramref name="destination"/> (cuMemcpyDtoHAsync_v2).</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void CopyToHost<T>(DeviceBuffer<T> source, PinnedBuffer<T> destination)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"The device buffer has {source.Length} elements, the host buffer {destination.Length}.", nameof(destination));
        }

        CudaErrors.Check(Driver.cuMemcpyDtoHAsync_v2(destination.Pointer, source.Pointer, destination.Bytes, Handle), "cuMemcpyDtoHAsync_v2");
    }

    /// <summary>
    /// Enqueues C = A × B for row-major A (m × k), B (k × n) and C (m × n) through cuBLAS (cublasSgemm_v2). cuBLAS is
    /// column-major, so this asks it for Cᵀ = Bᵀ × Aᵀ, which has the same memory as row-major C.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is smaller than its matrix.</exception>
    public void Sgemm(DeviceBuffer<float> a, DeviceBuffer<float> b, DeviceBuffer<float> c, int m, int n, int k)
    {
        Gemm.Enqueue(_queue.Blas, a, b, c, m, n, k);
    }

    internal void Launch(CudaKernel kernel, uint grid, uint block, void** arguments = null) => kernel.Launch(Handle, grid, block, arguments);

    internal void LaunchSpin(BuiltInKernels kernels, ulong nanoseconds)
    {
        ulong value = nanoseconds;
        void** arguments = stackalloc void*[1];
        arguments[0] = &value;
        kernels.Spin.Launch(Handle, 1, 1, arguments);
    }

    internal void BiasActivation(BuiltInKernels kernels, DeviceBuffer<float> values, DeviceBuffer<float> bias, int rows, int columns, bool relu)
    {
        ulong valuesPointer = values.Pointer;
        ulong biasPointer = bias.Pointer;
        int rowCount = rows;
        int columnCount = columns;
        int applyRelu = relu ? 1 : 0;
        void** arguments = stackalloc void*[5];
        arguments[0] = &valuesPointer;
        arguments[1] = &biasPointer;
        arguments[2] = &rowCount;
        arguments[3] = &columnCount;
        arguments[4] = &applyRelu;
        uint total = (uint)(rows * columns);
        kernels.BiasActivation.Launch(Handle, (total + 255) / 256, 256, arguments);
    }

    internal CudaStreamQueue Queue => _queue;
}
