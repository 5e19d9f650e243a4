namespace Interlude.Cuda.Interop;

/// <summary>The library names the <c>LibraryImport</c> declarations use; <see cref="CudaLibraries"/> resolves each to the file it found.</summary>
internal static class CudaLibraryNames
{
    internal const string Driver = "libcuda.so.1";
    internal const string Nvrtc = "interlude-nvrtc";
    internal const string Cublas = "interlude-cublas";
}
