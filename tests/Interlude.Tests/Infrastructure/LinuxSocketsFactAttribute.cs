using Xunit;

namespace Interlude.Tests.Infrastructure;

/// <summary>A fact about loop-owned sockets, which use epoll: it runs only on Linux and is skipped elsewhere.</summary>
public sealed class LinuxSocketsFactAttribute : FactAttribute
{
    public LinuxSocketsFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Loop-owned sockets use epoll and eventfd, which only Linux has.";
        }
    }
}
