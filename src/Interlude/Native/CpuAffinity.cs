using Interlude.Native;

namespace Interlude;

/// <summary>
/// Pins threads to cores and reads the cores this process may run on (<c>sched_setaffinity</c>). Devices with
/// threads of their own and applications placing their loops use it. On systems other than Linux pinning is
/// unavailable: the Try methods return false and the runtime reports that it runs unpinned.
/// </summary>
public static unsafe class CpuAffinity
{
    private const int MaskWords = 16; // 1,024 CPUs

    /// <summary>Whether this system lets a thread be pinned (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>
    /// The cores this process may run on, ascending (read from the main thread's mask, so a pinned caller
    /// still sees the whole set); on other systems 0..ProcessorCount-1.
    /// </summary>
    public static int[] AllowedCores()
        => ReadMask(Environment.ProcessId) ?? Enumerable.Range(0, Environment.ProcessorCount).ToArray();

    /// <summary>
    /// Throws if pinning was asked for cores this process may not run on (Linux only; elsewhere pinning is
    /// unavailable anyway and the caller reports that instead).
    /// </summary>
    public static void ValidateCores(IReadOnlyList<int>? requested, string optionName)
    {
        if (requested is null || !IsSupported)
        {
            return;
        }

        int[] allowed = AllowedCores();
        int[] missing = requested.Where(c => Array.IndexOf(allowed, c) < 0).Distinct().ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException(
                $"{optionName} names core(s) {string.Join(", ", missing)}, but this process may run only on core(s) {string.Join(", ", allowed)}.",
                optionName);
        }
    }

    /// <summary>Restricts the calling thread to <paramref name="core"/>; false if the OS refused or cannot.</summary>
    public static bool TryPinCurrentThread(int core) => TrySetThreadCores(0, [core]);

    /// <summary>
    /// Restricts Linux thread <paramref name="threadId"/> of this process (0: the calling thread) to
    /// <paramref name="cores"/>; false if it has ended, the OS refused, or affinity is unsupported.
    /// </summary>
    public static bool TrySetThreadCores(int threadId, IReadOnlyList<int> cores)
    {
        ArgumentNullException.ThrowIfNull(cores);
        if (!IsSupported || cores.Count == 0)
        {
            return false;
        }

        ulong* mask = stackalloc ulong[MaskWords];
        for (int i = 0; i < MaskWords; i++)
        {
            mask[i] = 0;
        }

        foreach (int core in cores)
        {
            if (core < 0 || core >= MaskWords * 64)
            {
                return false;
            }

            mask[core / 64] |= 1UL << (core % 64);
        }

        return LinuxNative.sched_setaffinity(threadId, MaskWords * sizeof(ulong), mask) == 0;
    }

    /// <summary>The cores Linux thread <paramref name="threadId"/> (0: the calling thread) may run on; null if it has ended or where unsupported.</summary>
    public static int[]? GetThreadCores(int threadId) => ReadMask(threadId);

    private static int[]? ReadMask(int pid)
    {
        if (!IsSupported)
        {
            return null;
        }

        ulong* mask = stackalloc ulong[MaskWords];
        if (LinuxNative.sched_getaffinity(pid, MaskWords * sizeof(ulong), mask) != 0)
        {
            return null;
        }

        var cores = new List<int>();
        for (int word = 0; word < MaskWords; word++)
        {
            for (int bit = 0; bit < 64; bit++)
            {
                if ((mask[word] & (1UL << bit)) != 0)
                {
                    cores.Add(word * 64 + bit);
                }
            }
        }

        return cores.Count > 0 ? cores.ToArray() : null;
    }
}
