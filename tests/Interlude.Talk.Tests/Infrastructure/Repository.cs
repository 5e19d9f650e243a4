namespace Interlude.Talk.Tests.Infrastructure;

/// <summary>The repository's root: the nearest folder above the test assembly that holds Interlude.slnx.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

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
