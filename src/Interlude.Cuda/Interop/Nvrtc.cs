using System.Runtime.InteropServices;

namespace Interlude.Cuda.Interop;

/// <summary>NVRTC, the run-time CUDA C++ compiler (nvrtc.h). Every call returns an nvrtcResult. Call <see cref="CudaLibraries.EnsureNvrtc"/> first.</summary>
internal static unsafe partial class Nvrtc
{
    [LibraryImport(CudaLibraryNames.Nvrtc)]
    internal static partial int nvrtcVersion(int* major, int* minor);

    [LibraryImport(CudaLibraryNames.Nvrtc)]
    internal static partial int nvrtcCreateProgram(nint* program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);

    [LibraryImport(CudaLibraryNames.Nvrtc)]
    internal static partial int nvrtcCompileProgram(nint program, int optionCount, byte** options);

    [LibraryImport(CudaLibraryNames.Nvrtc)]
    internal static partial int nvrtcGetCUBINSize(nint program, nuint* size);

    [LibraryImport(CudaLibraryNames.Nvrtc)]
    internal static partial int nvrtcGetCUBIN(nint program, byte* cubin);

    [LibraryImport(CudaLibraryNames.Nvrtc)]
    internal static partial int nvrtcGetPTXSize(nint program, nuint* size);

    [LibraryImport(CudaLibraryNames.Nvrtc)]
    internal static partial int nvrtcGetPTX(nint program, byte* ptx);

    [LibraryImport(CudaLibraryNames.Nvrtc)]
    internal static partial int nvrtcGetProgramLogSize(nint program, nuint* size);

    [LibraryImport(CudaLibraryNames.Nvrtc)]
    internal static partial int nvrtcGetProgramLog(nint program, byte* log);

    [LibraryImport(CudaLibraryNames.Nvrtc)]
    internal static partial int nvrtcDestroyProgram(nint* program);
}
