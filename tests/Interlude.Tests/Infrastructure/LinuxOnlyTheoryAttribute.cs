using Xunit;

namespace Interlude.Tests.Infrastructure;

/// <summary>A theory about a Linux-only thread setting (pinning, timer slack); skipped elsewhere, where loops do without it.</summary>
public sealed class LinuxOnlyTheoryAttribute : TheoryAttribute
{
    public LinuxOnlyTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "The setting uses a Linux call (sched_setaffinity, prctl); other systems run loops without it.";
        }
    }
}
