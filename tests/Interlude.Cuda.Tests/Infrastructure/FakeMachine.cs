using Interlude.Cuda.Interop;

namespace Interlude.Cuda.Tests.Infrastructure;

/// <summary>
/// A machine for the library search: environment variables, folders with files, names the system loader knows,
/// and paths that refuse to load. Records every load attempt in order.
/// </summary>
internal sealed class FakeMachine : ILibraryProbe
{
    private readonly Dictionary<string, string> _environment = [];
    private readonly Dictionary<string, List<string>> _folders = [];
    private readonly HashSet<string> _loaderNames = [];
    private readonly HashSet<string> _broken = [];

    internal List<string> Loads { get; } = [];

    internal List<string> SitePackages { get; } = [];

    internal FakeMachine Env(string name, string value)
    {
        _environment[name] = value;
        return this;
    }

    internal FakeMachine Folder(string path, params string[] files)
    {
        _folders[path] = [.. files];
        return this;
    }

    internal FakeMachine LoaderKnows(string name)
    {
        _loaderNames.Add(name);
        return this;
    }

    internal FakeMachine Broken(string path)
    {
        _broken.Add(path);
        return this;
    }

    public string? GetEnvironmentVariable(string name) => _environment.GetValueOrDefault(name);

    public bool TryLoad(string nameOrPath, out nint handle)
    {
        Loads.Add(nameOrPath);
        bool loads = !_broken.Contains(nameOrPath) && (Path.IsPathRooted(nameOrPath) ? FileExists(nameOrPath) : _loaderNames.Contains(nameOrPath));
        handle = loads ? 1000 + Loads.Count : 0;
        return loads;
    }

    public bool DirectoryExists(string path) => _folders.ContainsKey(path);

    public bool FileExists(string path) =>
        Path.GetDirectoryName(path) is { } folder && _folders.TryGetValue(folder, out List<string>? files) && files.Contains(Path.GetFileName(path));

    public IReadOnlyList<string> FilesStartingWith(string directory, string prefix) =>
        _folders.TryGetValue(directory, out List<string>? files) ? files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).ToList() : [];

    public IReadOnlyList<string> PythonSitePackages() => SitePackages;
}
