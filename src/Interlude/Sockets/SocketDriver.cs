using Interlude.Loops;

namespace Interlude.Sockets;

/// <summary>Where loop-owned sockets find their loop's socket driver.</summary>
internal static class SocketDriver
{
    /// <summary>Loop thread: the calling loop's epoll driver.</summary>
    /// <exception cref="InvalidOperationException">Not on a loop thread.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    internal static EpollPoller ForCurrentLoop()
    {
        Loop loop = Loop.Current ?? throw new InvalidOperationException("Loop-owned sockets are created on a loop thread.");
        return loop.Io ?? throw new PlatformNotSupportedException("Loop-owned sockets use epoll, which only Linux has.");
    }
}
