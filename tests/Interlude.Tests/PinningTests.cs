using Interlude.Native;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class PinningTests
{
    [LinuxOnlyTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ALoopPinnedToCoreZeroRunsOnlyOnCoreZero(WaitStrategy strategy)
    {
        Assert.Contains(0, CpuAffinity.AllowedCores());
        LoopGroupOptions options = TestRig.LoopOptions(strategy);
        options.PinThreads = true;
        options.Cores = [0];
        await using var group = new LoopGroup(options);
        Loop loop = group[0];

        int[]? cores = await loop.RunAsync(() => ValueTask.FromResult(CpuAffinity.GetThreadCores(0))).Guarded();

        Assert.True(loop.IsPinned);
        Assert.Equal(0, loop.Core);
        Assert.NotNull(cores);
        Assert.Equal([0], cores);
        LoopStatistics stats = group.GetStatistics()[0];
        Assert.True(stats.IsPinned);
        Assert.Equal(0, stats.Core);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnUnpinnedLoopKeepsTheProcessAffinity(WaitStrategy strategy)
    {
        await using var group = new LoopGroup(TestRig.LoopOptions(strategy));
        Loop loop = group[0];

        int[]? cores = await loop.RunAsync(() => ValueTask.FromResult(CpuAffinity.GetThreadCores(0))).Guarded();

        Assert.False(loop.IsPinned);
        Assert.Null(loop.Core);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(CpuAffinity.AllowedCores(), cores);
        }
    }
}
