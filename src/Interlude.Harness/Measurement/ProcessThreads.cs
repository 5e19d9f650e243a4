using System.Globalization;

namespace Interlude.Harness.Measurement;

/// <summary>
/// This process's threads as Linux lists them in /proc/self/task: their ids, and the threads a step started.
/// Elsewhere, or without /proc, there are none and the callers measure less.
/// </summary>
public static class ProcessThreads
{
    private const string TaskDirectory = "/proc/self/task";

    /// <summary>The Linux thread ids of this process's threads now; empty where /proc is unavailable.</summary>
    public static IReadOnlyList<int> Ids()
    {
        var ids = new List<int>();
        if (!OperatingSystem.IsLinux())
        {
            return ids;
        }

        try
        {
            foreach (string entry in Directory.EnumerateDirectories(TaskDirectory))
            {
                if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                {
                    ids.Add(id);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A process without /proc has no thread list; the callers work without it.
        }

        return ids;
    }

    /// <summary>
    /// The one thread whose name starts with <paramref name="namePrefix"/> among those started since
    /// <paramref name="before"/> was listed; 0 if there is not exactly one. Linux keeps 15 bytes of a thread's name.
    /// </summary>
    public static int FindStartedSince(IReadOnlyCollection<int> before, string namePrefix)
    {
        int found = 0;
        foreach (int id in Ids())
        {
            if (before.Contains(id) || !NameOf(id).StartsWith(namePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (found != 0)
            {
                return 0;
            }

            found = id;
        }

        return found;
    }

    /// <summary>The calling thread's Linux id, from /proc/thread-self; 0 where /proc is unavailable.</summary>
    public static int CurrentId()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            string? target = new DirectoryInfo("/proc/thread-self").ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            return int.TryParse(Path.GetFileName(target), NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? id : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static string NameOf(int id)
    {
        try
        {
            return File.ReadAllText($"{TaskDirectory}/{id}/comm").TrimEnd('\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The thread ended meanwhile.
            return string.Empty;
        }
    }
}
