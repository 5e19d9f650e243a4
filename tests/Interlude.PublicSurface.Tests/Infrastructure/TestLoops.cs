namespace Interlude.PublicSurface.Tests.Infrastructure;

/// <summary>Loop groups sized for a two-core test machine, unpinned so a test never competes with a pinned device.</summary>
internal static class TestLoops
{
    public static LoopGroup Create(WaitStrategy strategy, int count = 1)
        => new(new LoopGroupOptions { LoopCount = count, PinThreads = false, WaitStrategy = strategy, StallThreshold = TimeSpan.Zero });
}
