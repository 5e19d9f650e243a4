using Xunit;

namespace Interlude.Cuda.Tests.Infrastructure;

/// <summary>A test on a real GPU: skipped, saying why, where there is no CUDA driver or no GPU.</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (!CudaDevice.IsAvailable(out string reason))
        {
            Skip = $"Needs a CUDA GPU: {reason}";
        }
    }
}
