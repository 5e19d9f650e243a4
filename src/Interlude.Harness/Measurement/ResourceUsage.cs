using Interlude.Harness.Native;

namespace Interlude.Harness.Measurement;

/// <summary>CPU time and context switches, as getrusage reports them, for the process or one thread.</summary>
public readonly record struct ResourceUsage(TimeSpan CpuTime, long VoluntarySwitches, long InvoluntarySwitches)
{
    /// <summary>getrusage exists only on Linux; elsewhere every reading is zero.</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux();

    public long ContextSwitches => VoluntarySwitches + InvoluntarySwitches;

    /// <summary>Every thread of this process, user and system time together.</summary>
    public static ResourceUsage ReadProcess() => Read(ResourceUsageNative.RusageSelf);

    /// <summary>The calling thread only.</summary>
    public static ResourceUsage ReadCurrentThread() => Read(ResourceUsageNative.RusageThread);

    public static ResourceUsage operator +(ResourceUsage a, ResourceUsage b)
        => new(a.CpuTime + b.CpuTime, a.VoluntarySwitches + b.VoluntarySwitches, a.InvoluntarySwitches + b.InvoluntarySwitches);

    public static ResourceUsage operator -(ResourceUsage after, ResourceUsage before)
        => new(
            after.CpuTime - before.CpuTime,
            after.VoluntarySwitches - before.VoluntarySwitches,
            after.InvoluntarySwitches - before.InvoluntarySwitches);

    private static unsafe ResourceUsage Read(int who)
    {
        if (!IsAvailable)
        {
            return default;
        }

        ResourceUsageNative.RUsage usage;
        if (ResourceUsageNative.getrusage(who, &usage) != 0)
        {
            return default;
        }

        long micros = (usage.UserTime.Seconds * 1_000_000) + usage.UserTime.Microseconds
            + (usage.SystemTime.Seconds * 1_000_000) + usage.SystemTime.Microseconds;
        return new ResourceUsage(TimeSpan.FromMicroseconds(micros), usage.VoluntaryContextSwitches, usage.InvoluntaryContextSwitches);
    }
}
