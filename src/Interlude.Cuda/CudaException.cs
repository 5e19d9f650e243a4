namespace Interlude.Cuda;

/// <summary>A CUDA call failed: which call, its status code, and the status's name (CUDA_ERROR_OUT_OF_MEMORY, NVRTC_ERROR_COMPILATION, CUBLAS_STATUS_EXECUTION_FAILED).</summary>
public sealed class CudaException : Exception
{
    internal CudaException(string api, int code, string name, string description)
        : base($"{api} failed: {name} ({code}){(description.Length > 0 ? ": " + description : "")}")
    {
        Api = api;
        Code = code;
        Name = name;
    }

    internal CudaException(string api, int code, string name, string description, string detail)
        : base($"{api} failed: {name} ({code}){(description.Length > 0 ? ": " + description : "")}\n{detail}")
    {
        Api = api;
        Code = code;
        Name = name;
    }

    /// <summary>The entry point that failed (cuMemAlloc_v2, nvrtcCompileProgram, cublasSgemm_v2).</summary>
    public string Api { get; }

    /// <summary>The status it returned (a CUresult, nvrtcResult or cublasStatus_t).</summary>
    public int Code { get; }

    /// <summary>The status's name as the CUDA headers spell it.</summary>
    public string Name { get; }
}
