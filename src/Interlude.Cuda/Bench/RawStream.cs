using System.Runtime.InteropServices;
using Interlude.Cuda.Interop;
using Interlude.Cuda.Work;

namespace Interlude.Cuda.Bench;

/// <summary>
/// A stream used the way code without Interlude uses one: a thread launches and then waits in the driver
/// (cuStreamSynchronize, which waits as the context's scheduling flag says), or an async wrapper whose task a host
/// function completes, its continuation then running on the ThreadPool.
/// </summary>
internal sealed unsafe class RawStream : IDisposable
{
    [ThreadStatic]
    private static CudaDevice? t_current;

    private readonly CudaDevice _device;
    private nint _stream;

    internal RawStream(CudaDevice device)
    {
        _device = device;
        EnsureCurrent(device);
        nint stream;
        CudaErrors.Check(Driver.cuStreamCreate(&stream, Driver.StreamNonBlocking), "cuStreamCreate");
        _stream = stream;
    }

    /// <summary>Any thread: launches the null kernel (0) or the spin kernel, then blocks in cuStreamSynchronize.</summary>
    internal void RunAndWait(ulong kernelNanoseconds)
    {
        EnsureCurrent(_device);
        Launch(kernelNanoseconds);
        CudaErrors.Check(Driver.cuStreamSynchronize(_stream), "cuStreamSynchronize");
    }

    /// <summary>Any thread: launches, then returns a task that a host function completes; its continuation runs on the ThreadPool.</summary>
    internal Task RunAsync(ulong kernelNanoseconds)
    {
        EnsureCurrent(_device);
        Launch(kernelNanoseconds);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        GCHandle handle = GCHandle.Alloc(done);
        int result = Driver.cuLaunchHostFunc(_stream, &OnDone, (void*)GCHandle.ToIntPtr(handle));
        if (result != 0)
        {
            handle.Free();
            CudaErrors.Check(result, "cuLaunchHostFunc");
        }

        return done.Task;
    }

    public void Dispose()
    {
        if (_stream != 0)
        {
            EnsureCurrent(_device);
            _ = Driver.cuStreamSynchronize(_stream);
            _ = Driver.cuStreamDestroy_v2(_stream);
            _stream = 0;
        }
    }

    private static void EnsureCurrent(CudaDevice device)
    {
        if (t_current != device)
        {
            device.MakeCurrent();
            t_current = device;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnDone(void* state)
    {
        GCHandle handle = GCHandle.FromIntPtr((nint)state);
        var done = (TaskCompletionSource)handle.Target!;
        handle.Free();
        done.SetResult();
    }

    private void Launch(ulong kernelNanoseconds)
    {
        BuiltInKernels kernels = _device.Kernels;
        if (kernelNanoseconds == 0)
        {
            kernels.Null.Launch(_stream, 1, 1, null);
            return;
        }

        ulong value = kernelNanoseconds;
        void** arguments = stackalloc void*[1];
        arguments[0] = &value;
        kernels.Spin.Launch(_stream, 1, 1, arguments);
    }
}
