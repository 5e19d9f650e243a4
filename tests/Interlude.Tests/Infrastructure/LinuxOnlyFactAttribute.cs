using Xunit;

namespace Interlude.Tests.Infrastructure;

/// <summary>A fact about a Linux-only thread setting (pinning, timer slack); skipped elsewhere, where loops do without it.</summary>
public sealed class LinuxOnlyFactAttribute : FactAttribute
{
    public LinuxOnlyFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "The setting uses a Linux call (sched_setaffinity, prctl); other systems run loops without it.";
        }
    }
}
