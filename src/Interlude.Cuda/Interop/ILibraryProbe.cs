namespace Interlude.Cuda.Interop;

/// <summary>
/// What the library search needs from the machine: environment variables, the dynamic loader, folders. The real
/// one is <see cref="SystemLibraryProbe"/>; tests pass a fake machine.
/// </summary>
internal interface ILibraryProbe
{
    string? GetEnvironmentVariable(string name);

    /// <summary>Loads a library by file name (the loader's own search) or by path; false if it cannot be loaded.</summary>
    bool TryLoad(string nameOrPath, out nint handle);

    bool DirectoryExists(string path);

    bool FileExists(string path);

    /// <summary>File names (not paths) in <paramref name="directory"/> that start with <paramref name="prefix"/>; empty if the folder is missing.</summary>
    IReadOnlyList<string> FilesStartingWith(string directory, string prefix);

    /// <summary>Python's site-packages folders, where the CUDA wheels put their libraries (nvidia/*/lib); may be empty.</summary>
    IReadOnlyList<string> PythonSitePackages();
}
