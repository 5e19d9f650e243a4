using System.Globalization;
using Interlude.Native;

namespace Interlude.Cli.Modes;

/// <summary>
/// Sets and reads the set of cores a thread may run on, by Linux thread id (0: the calling thread). Elsewhere
/// nothing is confined: the calls return false or null and the modes run unconfined.
/// </summary>
internal static class ThreadAffinity
{
    internal static bool IsSupported => CpuAffinity.IsSupported;

    /// <summary>Restricts the calling thread to <paramref name="cores"/>; false if the OS refused or cannot.</summary>
    internal static bool TrySetCurrentThread(IReadOnlyList<int> cores) => TrySet(0, cores);

    /// <summary>Restricts thread <paramref name="threadId"/> of this process to <paramref name="cores"/>; false if it has ended or the OS refused.</summary>
    internal static bool TrySet(int threadId, IReadOnlyList<int> cores) => CpuAffinity.TrySetThreadCores(threadId, cores);

    /// <summary>The cores thread <paramref name="threadId"/> may run on, ascending; null if it has ended or where unsupported.</summary>
    internal static int[]? Read(int threadId) => CpuAffinity.GetThreadCores(threadId);

    /// <summary>The Linux thread ids of this process's threads now (/proc/self/task); empty where unsupported.</summary>
    internal static IReadOnlyList<int> ProcessThreadIds()
    {
        if (!IsSupported)
        {
            return [];
        }

        var ids = new List<int>();
        try
        {
            foreach (string entry in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                {
                    ids.Add(id);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A process without /proc runs unconfined; the modes still work.
        }

        return ids;
    }
}
