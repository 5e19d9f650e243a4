using Interlude.Cuda;
using Xunit;

namespace Interlude.Cli.Tests.Infrastructure;

/// <summary>A test of what happens without a GPU: skipped on a machine that has one.</summary>
public sealed class NoGpuFactAttribute : FactAttribute
{
    public NoGpuFactAttribute()
    {
        if (CudaDevice.IsAvailable(out _))
        {
            Skip = "This machine has a usable CUDA GPU, so the no-GPU path cannot be seen here.";
        }
    }
}
