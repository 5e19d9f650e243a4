using Interlude.Harness.Measurement;

namespace Interlude.Harness.Modes;

/// <summary>
/// Confines every thread of the process, the ThreadPool's included, to the application cores, and later puts
/// them back. Threads the ThreadPool starts meanwhile inherit the mask of the thread that starts them, so the
/// whole pool stays on the application cores.
/// </summary>
/// <remarks>
/// A thread whose mask holds none of the application cores is left alone: it is pinned elsewhere on purpose,
/// like the simulated device's thread on its own core. Used by the controlling thread only.
/// </remarks>
public sealed class ThreadPoolConfinement
{
    private readonly IReadOnlyList<int> _cores;
    private readonly Dictionary<int, int[]> _saved;
    private readonly int[]? _processMask;

    private ThreadPoolConfinement(IReadOnlyList<int> cores, Dictionary<int, int[]> saved, int[]? processMask)
    {
        _cores = cores;
        _saved = saved;
        _processMask = processMask;
    }

    public static ThreadPoolConfinement Apply(IReadOnlyList<int> cores)
    {
        // The main thread's mask (its id is the process id) is what threads started later would have had.
        int[]? processMask = CpuAffinity.GetThreadCores(Environment.ProcessId);
        var saved = new Dictionary<int, int[]>();
        foreach (int id in ProcessThreads.Ids())
        {
            int[]? mask = CpuAffinity.GetThreadCores(id);
            if (mask is null || !mask.Any(cores.Contains))
            {
                continue;
            }

            if (CpuAffinity.TrySetThreadCores(id, cores))
            {
                saved[id] = mask;
            }
        }

        return new ThreadPoolConfinement(cores, saved, processMask);
    }

    /// <summary>Gives each confined thread its old mask, and threads started since (which inherited the confinement) the process's.</summary>
    public void Restore()
    {
        int[] confined = _cores.Order().ToArray();
        foreach (int id in ProcessThreads.Ids())
        {
            if (_saved.TryGetValue(id, out int[]? mask))
            {
                CpuAffinity.TrySetThreadCores(id, mask);
            }
            else if (_processMask is { } processMask && CpuAffinity.GetThreadCores(id) is { } current && current.SequenceEqual(confined))
            {
                CpuAffinity.TrySetThreadCores(id, processMask);
            }
        }
    }
}
