namespace Interlude.Cuda.Interop;

/// <summary>
/// Status codes to names for the three libraries, from the CUDA headers (cuda.h, nvrtc.h, cublas_api.h). The driver's
/// own cuGetErrorName is preferred when the driver is loaded; this table names codes without it (and in tests).
/// </summary>
internal static class CudaStatusNames
{
    internal const int DriverSuccess = 0;
    internal const int DriverNotReady = 600;

    private static readonly Dictionary<int, string> s_driver = new()
    {
        [0] = "CUDA_SUCCESS",
        [1] = "CUDA_ERROR_INVALID_VALUE",
        [2] = "CUDA_ERROR_OUT_OF_MEMORY",
        [3] = "CUDA_ERROR_NOT_INITIALIZED",
        [4] = "CUDA_ERROR_DEINITIALIZED",
        [34] = "CUDA_ERROR_STUB_LIBRARY",
        [46] = "CUDA_ERROR_DEVICE_UNAVAILABLE",
        [100] = "CUDA_ERROR_NO_DEVICE",
        [101] = "CUDA_ERROR_INVALID_DEVICE",
        [200] = "CUDA_ERROR_INVALID_IMAGE",
        [201] = "CUDA_ERROR_INVALID_CONTEXT",
        [209] = "CUDA_ERROR_NO_BINARY_FOR_GPU",
        [218] = "CUDA_ERROR_INVALID_PTX",
        [222] = "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
        [400] = "CUDA_ERROR_INVALID_HANDLE",
        [500] = "CUDA_ERROR_NOT_FOUND",
        [600] = "CUDA_ERROR_NOT_READY",
        [700] = "CUDA_ERROR_ILLEGAL_ADDRESS",
        [701] = "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES",
        [702] = "CUDA_ERROR_LAUNCH_TIMEOUT",
        [719] = "CUDA_ERROR_LAUNCH_FAILED",
        [801] = "CUDA_ERROR_NOT_SUPPORTED",
        [803] = "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH",
        [999] = "CUDA_ERROR_UNKNOWN",
    };

    private static readonly string[] s_nvrtc =
    [
        "NVRTC_SUCCESS",
        "NVRTC_ERROR_OUT_OF_MEMORY",
        "NVRTC_ERROR_PROGRAM_CREATION_FAILURE",
        "NVRTC_ERROR_INVALID_INPUT",
        "NVRTC_ERROR_INVALID_PROGRAM",
        "NVRTC_ERROR_INVALID_OPTION",
        "NVRTC_ERROR_COMPILATION",
        "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
        "NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION",
        "NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION",
        "NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID",
        "NVRTC_ERROR_INTERNAL_ERROR",
    ];

    private static readonly Dictionary<int, string> s_cublas = new()
    {
        [0] = "CUBLAS_STATUS_SUCCESS",
        [1] = "CUBLAS_STATUS_NOT_INITIALIZED",
        [3] = "CUBLAS_STATUS_ALLOC_FAILED",
        [7] = "CUBLAS_STATUS_INVALID_VALUE",
        [8] = "CUBLAS_STATUS_ARCH_MISMATCH",
        [11] = "CUBLAS_STATUS_MAPPING_ERROR",
        [13] = "CUBLAS_STATUS_EXECUTION_FAILED",
        [14] = "CUBLAS_STATUS_INTERNAL_ERROR",
        [15] = "CUBLAS_STATUS_NOT_SUPPORTED",
        [16] = "CUBLAS_STATUS_LICENSE_ERROR",
    };

    internal static string Driver(int code) => s_driver.TryGetValue(code, out string? name) ? name : $"CUresult {code}";

    internal static string Nvrtc(int code) => code >= 0 && code < s_nvrtc.Length ? s_nvrtc[code] : $"nvrtcResult {code}";

    internal static string Cublas(int code) => s_cublas.TryGetValue(code, out string? name) ? name : $"cublasStatus_t {code}";
}
