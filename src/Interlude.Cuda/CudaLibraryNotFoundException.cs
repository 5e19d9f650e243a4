namespace Interlude.Cuda;

/// <summary>A CUDA library the device needs could not be loaded; the message names it and every place looked in.</summary>
public sealed class CudaLibraryNotFoundException : DllNotFoundException
{
    internal CudaLibraryNotFoundException(string library, string overrideVariable, IReadOnlyList<string> tried)
        : base($"{library} was not found. Looked in: {string.Join("; ", tried)}. Set {overrideVariable} to the library file or its folder.")
    {
        Library = library;
        Tried = tried;
    }

    /// <summary>Which library is missing ("The CUDA driver (libcuda.so.1)", "NVRTC (the CUDA run-time compiler)", "cuBLAS").</summary>
    public string Library { get; }

    /// <summary>Every place tried, in order, each with why it did not do.</summary>
    public IReadOnlyList<string> Tried { get; }
}
