using Interlude.Native;

namespace Interlude.Benchmarks.Latency;

/// <summary>CPU time and context switches from getrusage(2), for the whole process or for the calling thread.</summary>
internal readonly record struct ResourceUsage(long CpuMicroseconds, long VoluntarySwitches, long InvoluntarySwitches)
{
    internal static bool IsAvailable => OperatingSystem.IsLinux();

    /// <summary>The whole process (RUSAGE_SELF); zeros where getrusage is unavailable.</summary>
    internal static ResourceUsage Process() => Read(LinuxNative.RusageSelf);

    /// <summary>The calling thread (RUSAGE_THREAD); zeros where getrusage is unavailable.</summary>
    internal static ResourceUsage CurrentThread() => Read(LinuxNative.RusageThread);

    public static ResourceUsage operator -(ResourceUsage end, ResourceUsage start)
        => new(
            end.CpuMicroseconds - start.CpuMicroseconds,
            end.VoluntarySwitches - start.VoluntarySwitches,
            end.InvoluntarySwitches - start.InvoluntarySwitches);

    private static unsafe ResourceUsage Read(int who)
    {
        if (!IsAvailable)
        {
            return default;
        }

        LinuxNative.RUsage usage;
        if (LinuxNative.getrusage(who, &usage) != 0)
        {
            return default;
        }

        long cpu = (usage.UserTime.Seconds * 1_000_000) + usage.UserTime.Microseconds
            + (usage.SystemTime.Seconds * 1_000_000) + usage.SystemTime.Microseconds;
        return new ResourceUsage(cpu, usage.VoluntaryContextSwitches, usage.InvoluntaryContextSwitches);
    }
}
