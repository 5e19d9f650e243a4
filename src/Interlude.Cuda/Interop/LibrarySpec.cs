namespace Interlude.Cuda.Interop;

/// <summary>How to find one of the CUDA libraries: its names, the folders it lives in, and the variable that overrides the search.</summary>
/// <param name="Display">What the error message calls it ("the CUDA driver").</param>
/// <param name="ImportName">The name the <c>LibraryImport</c> declarations use; the resolver maps it to what was found.</param>
/// <param name="FilePrefix">File names in a folder that start with this (<c>libnvrtc.so</c>) are candidates, newest version first.</param>
/// <param name="LoaderNames">Names tried through the system loader's own search, in order.</param>
/// <param name="ToolkitFolders">Folders of a CUDA toolkit install (relative ones are taken under CUDA_HOME and CUDA_PATH).</param>
/// <param name="WheelFolders">Folders under a Python site-packages where the CUDA pip wheels keep it.</param>
/// <param name="OverrideVariable">An environment variable naming the library file or its folder; when set, nothing else is tried.</param>
/// <param name="CompanionPrefix">A library of the same folder to load first (cuBLAS needs cuBLASLt beside it); null if none.</param>
internal sealed record LibrarySpec(
    string Display,
    string ImportName,
    string FilePrefix,
    IReadOnlyList<string> LoaderNames,
    IReadOnlyList<string> ToolkitFolders,
    IReadOnlyList<string> WheelFolders,
    string OverrideVariable,
    string? CompanionPrefix = null)
{
    internal static readonly IReadOnlyList<string> StandardToolkitFolders =
        ["lib64", "targets/x86_64-linux/lib", "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib64"];

    /// <summary>libcuda.so.1 comes with the GPU driver, never with a toolkit or a wheel.</summary>
    internal static LibrarySpec Driver { get; } = new(
        "The CUDA driver (libcuda.so.1)",
        CudaLibraryNames.Driver,
        "libcuda.so",
        ["libcuda.so.1"],
        ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/wsl/lib"],
        [],
        "INTERLUDE_CUDA_DRIVER");

    internal static LibrarySpec Nvrtc { get; } = new(
        "NVRTC (the CUDA run-time compiler)",
        CudaLibraryNames.Nvrtc,
        "libnvrtc.so",
        ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"],
        StandardToolkitFolders,
        ["nvidia/cuda_nvrtc/lib", "nvidia/cu13/lib", "nvidia/cu12/lib"],
        "INTERLUDE_NVRTC");

    internal static LibrarySpec Cublas { get; } = new(
        "cuBLAS",
        CudaLibraryNames.Cublas,
        "libcublas.so",
        ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"],
        StandardToolkitFolders,
        ["nvidia/cublas/lib", "nvidia/cu13/lib", "nvidia/cu12/lib"],
        "INTERLUDE_CUBLAS",
        "libcublasLt.so");
}
