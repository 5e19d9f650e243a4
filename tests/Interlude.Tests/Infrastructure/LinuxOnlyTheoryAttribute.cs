using Xunit;

namespace Interlude.Tests.Infrastructure;

/// <summary>A theory that runs only on Linux, where loops can be pinned to cores; elsewhere it is skipped.</summary>
public sealed class LinuxOnlyTheoryAttribute : TheoryAttribute
{
    public LinuxOnlyTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "CPU pinning uses sched_setaffinity, which only Linux has; loops run unpinned elsewhere.";
        }
    }
}
