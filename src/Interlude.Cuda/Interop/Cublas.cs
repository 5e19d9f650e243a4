using System.Runtime.InteropServices;

namespace Interlude.Cuda.Interop;

/// <summary>
/// cuBLAS v2 (cublas_api.h). Matrices are column-major; the pointer mode is the default (host scalars). The stream
/// handle is a CUstream (cudaStream_t is the same type). Call <see cref="CudaLibraries.EnsureCublas"/> first.
/// </summary>
internal static unsafe partial class Cublas
{
    internal const int OperationNone = 0;
    internal const int OperationTranspose = 1;

    [LibraryImport(CudaLibraryNames.Cublas)]
    internal static partial int cublasCreate_v2(nint* handle);

    [LibraryImport(CudaLibraryNames.Cublas)]
    internal static partial int cublasDestroy_v2(nint handle);

    [LibraryImport(CudaLibraryNames.Cublas)]
    internal static partial int cublasSetStream_v2(nint handle, nint stream);

    [LibraryImport(CudaLibraryNames.Cublas)]
    internal static partial int cublasSgemm_v2(
        nint handle,
        int transA,
        int transB,
        int m,
        int n,
        int k,
        float* alpha,
        ulong a,
        int lda,
        ulong b,
        int ldb,
        float* beta,
        ulong c,
        int ldc);
}
