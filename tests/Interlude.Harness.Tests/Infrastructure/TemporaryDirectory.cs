namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>An empty directory of its own for one test, deleted with everything in it afterwards.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = Directory.CreateTempSubdirectory("interlude-tests-").FullName;
    }

    public string Path { get; }

    /// <summary>A path inside the directory; nothing is created there.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The names of everything in the directory, hidden entries included, sorted.</summary>
    public string[] Entries()
        => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
