using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Interlude.Cuda.Interop;

/// <summary>The machine itself: the process environment, <see cref="NativeLibrary.TryLoad(string, out nint)"/>, the file system, and Python's site-packages.</summary>
internal sealed class SystemLibraryProbe : ILibraryProbe
{
    private IReadOnlyList<string>? _sitePackages;

    public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);

    public bool TryLoad(string nameOrPath, out nint handle) => NativeLibrary.TryLoad(nameOrPath, out handle);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public bool FileExists(string path) => File.Exists(path);

    public IReadOnlyList<string> FilesStartingWith(string directory, string prefix)
    {
        try
        {
            return Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory, prefix + "*").Select(p => Path.GetFileName(p)!).ToList()
                : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// The usual prefixes (a virtual environment, conda, the system's and the user's Python), then what python3 itself
    /// reports, for installs elsewhere. Asked once per process.
    /// </summary>
    public IReadOnlyList<string> PythonSitePackages() => _sitePackages ??= FindSitePackages();

    private IReadOnlyList<string> FindSitePackages()
    {
        var found = new List<string>();
        var roots = new List<string>();
        foreach (string variable in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } prefix)
            {
                roots.Add(Path.Combine(prefix, "lib"));
            }
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 0)
        {
            roots.Add(Path.Combine(home, ".local", "lib"));
        }

        roots.AddRange(["/usr/local/lib", "/usr/lib", "/opt/conda/lib"]);
        foreach (string root in roots.Where(Directory.Exists))
        {
            foreach (string python in SafeDirectories(root, "python3*"))
            {
                found.AddRange(new[] { "site-packages", "dist-packages" }.Select(d => Path.Combine(python, d)).Where(Directory.Exists));
            }
        }

        found.AddRange(AskPython());
        return found.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> SafeDirectories(string root, string pattern)
    {
        try
        {
            return Directory.GetDirectories(root, pattern);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static IReadOnlyList<string> AskPython()
    {
        try
        {
            var start = new ProcessStartInfo("python3", ["-c", "import site; print('\\n'.join(site.getsitepackages() + [site.getusersitepackages()]))"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using Process? python = Process.Start(start);
            if (python is null)
            {
                return [];
            }

            string output = python.StandardOutput.ReadToEnd();
            if (!python.WaitForExit(5000))
            {
                python.Kill();
                return [];
            }

            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(Directory.Exists).ToList();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            // No python3 on this machine: the prefixes above are all there is.
            return [];
        }
    }
}
