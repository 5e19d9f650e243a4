using Interlude.Cuda.Interop;
using Xunit;

namespace Interlude.Cuda.Tests;

public sealed class CudaErrorTests
{
    [Theory]
    [InlineData(2, "CUDA_ERROR_OUT_OF_MEMORY")]
    [InlineData(100, "CUDA_ERROR_NO_DEVICE")]
    [InlineData(209, "CUDA_ERROR_NO_BINARY_FOR_GPU")]
    [InlineData(600, "CUDA_ERROR_NOT_READY")]
    [InlineData(700, "CUDA_ERROR_ILLEGAL_ADDRESS")]
    [InlineData(12345, "CUresult 12345")]
    public void Driver_results_are_named_as_cuda_h_names_them(int code, string name) => Assert.Equal(name, CudaStatusNames.Driver(code));

    [Theory]
    [InlineData(5, "NVRTC_ERROR_INVALID_OPTION")]
    [InlineData(6, "NVRTC_ERROR_COMPILATION")]
    [InlineData(11, "NVRTC_ERROR_INTERNAL_ERROR")]
    [InlineData(99, "nvrtcResult 99")]
    public void Nvrtc_results_are_named(int code, string name) => Assert.Equal(name, CudaStatusNames.Nvrtc(code));

    [Theory]
    [InlineData(3, "CUBLAS_STATUS_ALLOC_FAILED")]
    [InlineData(13, "CUBLAS_STATUS_EXECUTION_FAILED")]
    [InlineData(2, "cublasStatus_t 2")]
    public void Cublas_statuses_are_named(int code, string name) => Assert.Equal(name, CudaStatusNames.Cublas(code));

    [Fact]
    public void Success_does_not_throw() => CudaErrors.Check(0, "cuInit");

    [Fact]
    public void A_driver_failure_becomes_an_exception_that_names_the_call_the_code_and_the_status()
    {
        CudaException error = Assert.Throws<CudaException>(() => CudaErrors.Check(2, "cuMemAlloc_v2"));

        Assert.Equal("cuMemAlloc_v2", error.Api);
        Assert.Equal(2, error.Code);
        Assert.Equal("CUDA_ERROR_OUT_OF_MEMORY", error.Name);
        Assert.StartsWith("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compilation_failure_carries_the_compiler_log()
    {
        CudaException error = Assert.Throws<CudaException>(() => CudaErrors.CheckNvrtc(6, "nvrtcCompileProgram", "kernel.cu(3): error: identifier \"x\" is undefined"));

        Assert.Equal("NVRTC_ERROR_COMPILATION", error.Name);
        Assert.Contains("identifier \"x\" is undefined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cublas_failure_is_named()
    {
        CudaException error = Assert.Throws<CudaException>(() => CudaErrors.CheckCublas(13, "cublasSgemm_v2"));

        Assert.Equal("CUBLAS_STATUS_EXECUTION_FAILED", error.Name);
        Assert.Equal("cublasSgemm_v2", error.Api);
    }
}
