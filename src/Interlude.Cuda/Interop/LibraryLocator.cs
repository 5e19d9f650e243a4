namespace Interlude.Cuda.Interop;

/// <summary>
/// Finds and loads a CUDA library in a fixed order, and says where it looked when it cannot: the override variable
/// (a file or a folder; when set, only it), then the system loader's own search (LD_LIBRARY_PATH, ldconfig), then
/// the toolkit folders (under CUDA_HOME, CUDA_PATH and the usual absolute ones), then the CUDA pip wheels' folders
/// under each Python site-packages.
/// </summary>
internal sealed class LibraryLocator
{
    private readonly ILibraryProbe _probe;

    internal LibraryLocator(ILibraryProbe probe) => _probe = probe;

    /// <summary>Loads the library, or throws <see cref="CudaLibraryNotFoundException"/> naming every place tried.</summary>
    internal LocatedLibrary Locate(LibrarySpec spec)
    {
        var tried = new List<string>();
        string? overridden = _probe.GetEnvironmentVariable(spec.OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            if (TryFolderOrFile(spec, overridden, tried, out LocatedLibrary found))
            {
                return found;
            }

            throw new CudaLibraryNotFoundException(spec.Display, spec.OverrideVariable, tried);
        }

        tried.Add($"{spec.OverrideVariable} (not set)");
        foreach (string name in spec.LoaderNames)
        {
            if (_probe.TryLoad(name, out nint handle))
            {
                return new LocatedLibrary(handle, name);
            }

            tried.Add($"{name} (system loader)");
        }

        foreach (string folder in ToolkitFolders(spec))
        {
            if (TryFolder(spec, folder, tried, out LocatedLibrary found))
            {
                return found;
            }
        }

        foreach (string sitePackages in _probe.PythonSitePackages())
        {
            foreach (string wheelFolder in spec.WheelFolders)
            {
                if (TryFolder(spec, Path.Combine(sitePackages, wheelFolder), tried, out LocatedLibrary found))
                {
                    return found;
                }
            }
        }

        if (spec.WheelFolders.Count > 0)
        {
            tried.Add("the CUDA pip wheels' folders under every Python site-packages found");
        }

        throw new CudaLibraryNotFoundException(spec.Display, spec.OverrideVariable, tried);
    }

    /// <summary>The toolkit folders in search order: relative ones under CUDA_HOME, then CUDA_PATH, then the absolute ones.</summary>
    internal IReadOnlyList<string> ToolkitFolders(LibrarySpec spec)
    {
        var folders = new List<string>();
        foreach (string variable in new[] { "CUDA_HOME", "CUDA_PATH" })
        {
            string? root = _probe.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(root))
            {
                continue;
            }

            foreach (string folder in spec.ToolkitFolders.Where(f => !Path.IsPathRooted(f)))
            {
                folders.Add(Path.Combine(root, folder));
            }
        }

        folders.AddRange(spec.ToolkitFolders.Where(Path.IsPathRooted));
        return folders.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The library files in a folder, newest version first (libnvrtc.so.12.4 before libnvrtc.so.12 before libnvrtc.so).</summary>
    internal static IEnumerable<string> Rank(IEnumerable<string> fileNames, string prefix) =>
        fileNames
            .Where(n => n == prefix || n.StartsWith(prefix + ".", StringComparison.Ordinal))
            .OrderByDescending(n => VersionOf(n, prefix), VersionComparer.Instance);

    private static int[] VersionOf(string fileName, string prefix) =>
        fileName.Length == prefix.Length
            ? []
            : fileName[(prefix.Length + 1)..].Split('.').Select(p => int.TryParse(p, out int v) ? v : -1).ToArray();

    private bool TryFolderOrFile(LibrarySpec spec, string path, List<string> tried, out LocatedLibrary found)
    {
        if (_probe.FileExists(path))
        {
            if (TryLoadPath(spec, path, out found))
            {
                return true;
            }

            tried.Add($"{path} ({spec.OverrideVariable}; the file exists but did not load)");
            return false;
        }

        return TryFolder(spec, path, tried, out found);
    }

    private bool TryFolder(LibrarySpec spec, string folder, List<string> tried, out LocatedLibrary found)
    {
        found = default;
        if (!_probe.DirectoryExists(folder))
        {
            tried.Add($"{folder} (no such folder)");
            return false;
        }

        var candidates = Rank(_probe.FilesStartingWith(folder, spec.FilePrefix), spec.FilePrefix).ToList();
        if (candidates.Count == 0)
        {
            tried.Add($"{folder} (no {spec.FilePrefix}*)");
            return false;
        }

        foreach (string candidate in candidates)
        {
            if (TryLoadPath(spec, Path.Combine(folder, candidate), out found))
            {
                return true;
            }
        }

        tried.Add($"{folder} ({string.Join(", ", candidates)} did not load)");
        return false;
    }

    private bool TryLoadPath(LibrarySpec spec, string path, out LocatedLibrary found)
    {
        found = default;
        if (spec.CompanionPrefix is { } companion && Path.GetDirectoryName(path) is { } folder)
        {
            // cuBLAS loads cuBLASLt by name; one already loaded from the same folder satisfies it.
            foreach (string name in Rank(_probe.FilesStartingWith(folder, companion), companion))
            {
                if (_probe.TryLoad(Path.Combine(folder, name), out _))
                {
                    break;
                }
            }
        }

        if (!_probe.TryLoad(path, out nint handle))
        {
            return false;
        }

        found = new LocatedLibrary(handle, path);
        return true;
    }

    private sealed class VersionComparer : IComparer<int[]>
    {
        internal static readonly VersionComparer Instance = new();

        public int Compare(int[]? x, int[]? y)
        {
            x ??= [];
            y ??= [];
            for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
            {
                int a = i < x.Length ? x[i] : int.MinValue;
                int b = i < y.Length ? y[i] : int.MinValue;
                if (a != b)
                {
                    return a.CompareTo(b);
                }
            }

            return 0;
        }
    }
}
