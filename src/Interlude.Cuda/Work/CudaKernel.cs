using Interlude.Cuda.Interop;

namespace Interlude.Cuda.Work;

/// <summary>A kernel in a loaded module (cuModuleLoadData, cuModuleGetFunction); the module lives as long as the kernels made from it.</summary>
internal sealed unsafe class CudaKernel(nint function, string name)
{
    internal string Name { get; } = name;

    /// <summary>Enqueues a one-dimensional launch; <paramref name="arguments"/> points at one pointer per kernel parameter.</summary>
    internal void Launch(nint stream, uint grid, uint block, void** arguments)
    {
        CudaErrors.Check(Driver.cuLaunchKernel(function, grid, 1, 1, block, 1, 1, 0, stream, arguments, null), "cuLaunchKernel");
    }
}
