using Xunit;

namespace Interlude.Tests.Infrastructure;

/// <summary>A theory over loop-owned sockets, which use epoll: it runs only on Linux and is skipped elsewhere.</summary>
public sealed class LinuxSocketsTheoryAttribute : TheoryAttribute
{
    public LinuxSocketsTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Loop-owned sockets use epoll and eventfd, which only Linux has.";
        }
    }
}
