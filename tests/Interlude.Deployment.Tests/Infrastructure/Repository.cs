namespace Interlude.Deployment.Tests.Infrastructure;

/// <summary>The files of the repository the tests read: the manifests, the Dockerfile and the docs.</summary>
internal static class Repository
{
    /// <summary>The repository's root: the nearest folder above the test assembly that holds Interlude.slnx.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
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
}
