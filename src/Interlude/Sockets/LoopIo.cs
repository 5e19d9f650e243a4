using Interlude.Loops;

namespace Interlude.Sockets;

/// <summary>How loop-owned sockets and listeners reach their loop's socket driver: the one place that asks for it.</summary>
internal static class LoopIo
{
    /// <summary>
    /// <paramref name="loop"/>'s epoll driver, which the loop created with itself. Called only on
    /// <paramref name="loop"/>'s own thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not on <paramref name="loop"/>'s thread.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    internal static EpollPoller PollerFor(Loop loop)
    {
        if (!loop.IsCurrent)
        {
            throw new InvalidOperationException("A loop's sockets are registered on the loop's own thread.");
        }

        return loop.Io ?? throw new PlatformNotSupportedException("Loop-owned sockets use epoll, which only Linux has.");
    }
}
