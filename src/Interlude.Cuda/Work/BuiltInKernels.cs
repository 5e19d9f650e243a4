using Interlude.Cuda.Interop;

namespace Interlude.Cuda.Work;

/// <summary>The device's own kernels, compiled once per device with NVRTC for its architecture and loaded into the primary context.</summary>
internal sealed unsafe class BuiltInKernels : IDisposable
{
    internal const string Source = """
        extern "C" __global__ void interlude_null() {}

        // Holds one thread for a number of nanoseconds by the GPU's global timer: work of a known length.
        extern "C" __global__ void interlude_spin(unsigned long long nanoseconds)
        {
            unsigned long long start;
            asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
            unsigned long long now = start;
            while (now - start < nanoseconds)
            {
                asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
            }
        }

        // values (rows x columns, row-major) += bias per column; then max(0, x) if relu.
        extern "C" __global__ void interlude_bias_activation(float* values, const float* bias, int rows, int columns, int relu)
        {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < rows * columns)
            {
                float v = values[i] + bias[i % columns];
                values[i] = relu && v < 0.0f ? 0.0f : v;
            }
        }
        """;

    private nint _module;

    internal BuiltInKernels(CudaDevice device)
    {
        device.MakeCurrent();
        (byte[] image, string kind) = KernelCompiler.Compile(Source, "interlude_kernels.cu", device.ComputeCapability);
        ImageKind = kind;
        nint module;
        fixed (byte* i = image)
        {
            CudaErrors.Check(Driver.cuModuleLoadData(&module, i), "cuModuleLoadData");
        }

        _module = module;
        Null = Function("interlude_null");
        Spin = Function("interlude_spin");
        BiasActivation = Function("interlude_bias_activation");
    }

    /// <summary>"cubin" (compiled for the GPU's own architecture) or "ptx" (the driver compiled it).</summary>
    internal string ImageKind { get; }

    internal CudaKernel Null { get; }

    internal CudaKernel Spin { get; }

    internal CudaKernel BiasActivation { get; }

    public void Dispose()
    {
        if (_module != 0)
        {
            _ = Driver.cuModuleUnload(_module);
            _module = 0;
        }
    }

    private CudaKernel Function(string name)
    {
        nint function;
        CudaErrors.Check(Driver.cuModuleGetFunction(&function, _module, name), "cuModuleGetFunction");
        return new CudaKernel(function, name);
    }
}
