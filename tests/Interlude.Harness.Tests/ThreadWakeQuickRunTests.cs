using Interlude.Harness.Tests.Infrastructure;
using Interlude.Harness.Wake;
using Xunit;

namespace Interlude.Harness.Tests;

[Collection(AloneCollection.Name)]
public sealed class ThreadWakeQuickRunTests
{
    private static readonly ThreadWakeSettings s_tiny = new() { Samples = 5, Warmup = 2 };

    [Fact]
    public async Task ThePrimitiveComparisonGivesARowForEveryPrimitivePlacementAndGap()
    {
        var bench = new WakePrimitiveBench(s_tiny);

        IReadOnlyList<WakeMeasurement> rows = await Task.Run(() => bench.Run(CancellationToken.None)).WaitAsync(Timeouts.BenchRun);

        (int waiting, int other) = s_tiny.ChooseCores();
        string[] placements = waiting != other
            ? [WakePrimitiveBench.CrossCore, WakePrimitiveBench.SameCore]
            : [WakePrimitiveBench.SameCore];
        var expected = (from placement in placements
                        from kind in WakePrimitiveKind.All
                        from gap in s_tiny.GapsUs
                        select (placement, kind.Mode, gap)).ToList();
        Assert.Equal(expected, rows.Select(r => (r.Placement, r.Mode, r.GapUs)).ToList());
        Assert.All(rows, row =>
        {
            Assert.Equal(WakePrimitiveBench.Section, row.Section);
            Assert.Equal(s_tiny.Samples, row.Latency.Count);
            Assert.InRange(row.BusyFraction, 0, 1);
            Assert.Equal(1, row.Queues);
        });
        Assert.Equal(placements.Length == 1, bench.Notes.Any(n => n.Contains("cross-core placement was skipped", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheDispatcherPingGivesARowForEveryModeAndGap()
    {
        var bench = new DispatcherPingBench(s_tiny);

        IReadOnlyList<WakeMeasurement> rows = await Task.Run(() => bench.Run(CancellationToken.None)).WaitAsync(Timeouts.BenchRun);

        var expected = (from mode in new[] { DispatcherPingBench.BlockingMode, DispatcherPingBench.DispatcherMode }
                        from gap in s_tiny.GapsUs
                        select (mode, gap)).ToList();
        Assert.Equal(expected, rows.Select(r => (r.Mode, r.GapUs)).ToList());
        Assert.All(rows, row =>
        {
            Assert.Equal(DispatcherPingBench.Section, row.Section);
            Assert.Equal(DispatcherPingBench.Placement, row.Placement);
            Assert.Equal(s_tiny.Samples, row.Latency.Count);
            Assert.InRange(row.BusyFraction, 0, 1);
        });
    }

    [Fact]
    public void ACancelledRunStopsWithOperationCanceledException()
    {
        var cancelled = new CancellationToken(canceled: true);

        Assert.ThrowsAny<OperationCanceledException>(() => new WakePrimitiveBench(s_tiny).Run(cancelled));
        Assert.ThrowsAny<OperationCanceledException>(() => new DispatcherPingBench(s_tiny).Run(cancelled));
    }

    [Fact]
    public void InvalidSettingsAreRejectedWithTheirNames()
    {
        Assert.Equal("Samples", Assert.Throws<ArgumentOutOfRangeException>(() => new WakePrimitiveBench(s_tiny with { Samples = 0 })).ParamName);
        Assert.Equal("GapsUs", Assert.Throws<ArgumentException>(() => new DispatcherPingBench(s_tiny with { GapsUs = [] })).ParamName);
        Assert.Equal("Cores", Assert.Throws<ArgumentException>(() => new DispatcherPingBench(s_tiny with { Cores = [-1] })).ParamName);
    }
}
