namespace Interlude.Packaging.Tests.Infrastructure;

/// <summary>
/// The sources the packages are built from, copied out of the repository, so that packing builds into a folder of
/// its own and never touches the binaries the other test assemblies run from.
/// </summary>
internal static class RepositoryCopy
{
    // What the shipped projects need to build: their sources, the samples the harness hosts, and the build files.
    private static readonly string[] s_folders = ["src", "samples/SecureGateway", "samples/InferenceServer", "samples/Fortunes"];
    private static readonly string[] s_files = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "LICENSE", "README.md"];

    /// <summary>The repository's root: the nearest folder above the test assembly that holds Interlude.slnx.</summary>
    public static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Interlude.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Interlude.slnx above {AppContext.BaseDirectory}.");
    }

    public static void CopyTo(string root, string destination)
    {
        foreach (string file in s_files)
        {
            File.Copy(Path.Combine(root, file), Path.Combine(destination, file));
        }

        foreach (string folder in s_folders)
        {
            CopyFolder(Path.Combine(root, folder), Path.Combine(destination, folder));
        }
    }

    private static void CopyFolder(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (string folder in Directory.EnumerateDirectories(source))
        {
            string name = Path.GetFileName(folder);
            if (name is "bin" or "obj")
            {
                continue;
            }

            CopyFolder(folder, Path.Combine(destination, name));
        }
    }
}
