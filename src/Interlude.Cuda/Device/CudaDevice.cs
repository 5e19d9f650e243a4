using System.Runtime.InteropServices;
using System.Text;
using Interlude.Cuda.Device;
using Interlude.Cuda.Interop;
using Interlude.Cuda.Work;

namespace Interlude.Cuda;

/// <summary>
/// A CUDA GPU as an Interlude device: the device's primary context, one non-blocking stream per loop (made on the
/// loop's first submission), completions found by the loop's own poller in the chosen
/// <see cref="CudaCompletionMode"/>. Kernels are compiled at run time with NVRTC for this GPU's architecture;
/// GEMM goes through cuBLAS.
/// </summary>
/// <remarks>
/// Submissions must come from a loop's thread. Thread rules: <c>_queues</c> is changed under <c>_gate</c> by loops
/// (first submission, removal) and by <see cref="Dispose"/>; the rest is set in the constructor.
/// </remarks>
public sealed unsafe class CudaDevice : IDisposable
{
    [ThreadStatic]
    private static (CudaDevice? Device, CudaStreamQueue? Queue) t_lastQueue;

    private readonly object _gate = new();
    private readonly Dictionary<Loop, CudaStreamQueue> _queues = [];
    private readonly int _device;
    private readonly nint _context;
    private readonly Lazy<BuiltInKernels> _kernels;
    private bool _disposed;

    /// <summary>Opens the GPU: loads the driver, initialises it, retains the primary context with the chosen scheduling flag.</summary>
    /// <exception cref="CudaLibraryNotFoundException">No CUDA driver (libcuda.so.1) on this machine; the message says where it looked.</exception>
    /// <exception cref="CudaException">The driver refused (CUDA_ERROR_NO_DEVICE on a machine without a GPU, ...).</exception>
    public CudaDevice(CudaDeviceOptions? options = null)
    {
        Options = options ?? new CudaDeviceOptions();
        Options.Validate();
        CudaLibraries.EnsureDriver();
        CudaErrors.Check(Driver.cuInit(0), "cuInit");
        int device;
        CudaErrors.Check(Driver.cuDeviceGet(&device, Options.DeviceOrdinal), "cuDeviceGet");
        _device = device;
        byte* name = stackalloc byte[256];
        CudaErrors.Check(Driver.cuDeviceGetName(name, 256, device), "cuDeviceGetName");
        Name = Marshal.PtrToStringUTF8((nint)name) ?? "";
        int major;
        int minor;
        CudaErrors.Check(Driver.cuDeviceGetAttribute(&major, Driver.AttributeComputeCapabilityMajor, device), "cuDeviceGetAttribute");
        CudaErrors.Check(Driver.cuDeviceGetAttribute(&minor, Driver.AttributeComputeCapabilityMinor, device), "cuDeviceGetAttribute");
        ComputeCapability = (major, minor);
        nint context;
        CudaErrors.Check(Driver.cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
        _context = context;
        MakeCurrent();
        if (Options.Scheduling != CudaScheduling.Auto)
        {
            // The primary context may already be active (another device object, cuBLAS): set the flag on it as it is.
            Driver.SetSchedulingFlags(device, (uint)Options.Scheduling);
        }
        _kernels = new Lazy<BuiltInKernels>(() => new BuiltInKernels(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The options it was made with.</summary>
    public CudaDeviceOptions Options { get; }

    /// <summary>The GPU's name as the driver reports it.</summary>
    public string Name { get; }

    /// <summary>The GPU's compute capability (9.0 for an H100/H200); NVRTC compiles for sm_{major}{minor}.</summary>
    public (int Major, int Minor) ComputeCapability { get; }

    /// <summary>
    /// Whether a CUDA GPU can be used here, and if not why: no driver library, the driver refusing to initialise,
    /// or no device. Makes no context.
    /// </summary>
    public static bool IsAvailable(out string reason)
    {
        if (!CudaLibraries.TryDriver(out reason))
        {
            return false;
        }

        int result = Driver.cuInit(0);
        if (result != 0)
        {
            reason = $"The CUDA driver is installed but cuInit failed: {CudaErrors.Driver(result, "cuInit").Message}";
            return false;
        }

        int count;
        result = Driver.cuDeviceGetCount(&count);
        if (result != 0 || count == 0)
        {
            reason = "The CUDA driver is installed but reports no GPU.";
            return false;
        }

        reason = "";
        return true;
    }

    /// <summary>
    /// Enqueues work on the calling loop's stream with <paramref name="enqueue"/> (copies, kernels, cuBLAS calls
    /// through the <see cref="CudaStream"/> it is given) and completes when the GPU has done it; the awaiting
    /// coroutine resumes inline on this loop. Pass a static lambda and the state it needs: nothing is allocated in
    /// steady state.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not called on a loop's thread, or too many operations in flight on this loop.</exception>
    /// <exception cref="CudaException">Enqueuing failed.</exception>
    public ValueTask SubmitAsync<TState>(Action<CudaStream, TState> enqueue, TState state)
    {
        ArgumentNullException.ThrowIfNull(enqueue);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return QueueOfCurrentLoop().Submit(enqueue, state);
    }

    /// <summary>Runs the empty kernel on this loop's stream: the cost of a round trip to the GPU and back.</summary>
    public ValueTask NullKernelAsync() => SubmitAsync(static (stream, kernels) => stream.Launch(kernels.Null, 1, 1), Kernels);

    /// <summary>Runs a kernel that holds one GPU thread for <paramref name="duration"/> (by the GPU's global timer): work of a known length.</summary>
    public ValueTask SpinKernelAsync(TimeSpan duration) =>
        SubmitAsync(static (stream, s) => stream.LaunchSpin(s.Kernels, s.Nanoseconds), (Kernels, Nanoseconds: (ulong)(duration.Ticks * 100)));

    /// <summary>Releases the primary context; every loop's stream is destroyed on its loop, and what was in flight fails with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        CudaStreamQueue[] queues;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            queues = [.. _queues.Values];
        }

        foreach (CudaStreamQueue queue in queues)
        {
            queue.Loop.RemovePoller(queue);
        }

        SpinWait.SpinUntil(() => { lock (_gate) { return _queues.Count == 0; } }, TimeSpan.FromSeconds(5));
        if (_kernels.IsValueCreated)
        {
            _kernels.Value.Dispose();
        }

        _ = Driver.cuDevicePrimaryCtxRelease_v2(_device);
    }

    internal BuiltInKernels Kernels => _kernels.Value;

    internal int Ordinal => _device;

    /// <summary>Any thread about to call the driver: makes the primary context current on it (cheap when it already is).</summary>
    internal void MakeCurrent() => CudaErrors.Check(Driver.cuCtxSetCurrent(_context), "cuCtxSetCurrent");

    /// <summary>Loop thread, from the queue's <see cref="CudaStreamQueue.OnRemoved"/>.</summary>
    internal void Forget(CudaStreamQueue queue)
    {
        lock (_gate)
        {
            _queues.Remove(queue.Loop);
        }

        if (t_lastQueue.Queue == queue)
        {
            t_lastQueue = default;
        }
    }

    internal static string Describe(Exception e) => e is CudaException or CudaLibraryNotFoundException ? e.Message : e.ToString();

    internal static string ReadUtf8(ReadOnlySpan<byte> text) => Encoding.UTF8.GetString(text.IndexOf((byte)0) is int end and >= 0 ? text[..end] : text);

    private CudaStreamQueue QueueOfCurrentLoop()
    {
        (CudaDevice? device, CudaStreamQueue? queue) = t_lastQueue;
        if (device == this && queue is not null)
        {
            return queue;
        }

        Loop loop = Loop.Current ?? throw new InvalidOperationException("Submit to a CudaDevice from a loop's thread.");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_queues.TryGetValue(loop, out queue))
            {
                queue = new CudaStreamQueue(this, loop);
                _queues.Add(loop, queue);
                loop.AddPoller(queue);
            }
        }

        t_lastQueue = (this, queue);
        return queue;
    }
}
