using Interlude.Harness.Soak;
using Xunit;

namespace Interlude.Harness.Tests;

/// <summary>
/// The short form of <c>interlude soak</c>: overload with injected errors and deadlines, where every request must
/// end exactly one way, none with an undocumented exception, under each overflow policy.
/// </summary>
public sealed class SoakTests
{
    [Theory]
    [InlineData(OffloadOverflow.Reject)]
    [InlineData(OffloadOverflow.ShedOldest)]
    public async Task UnderOverloadEveryRequestEndsExactlyOneDocumentedWay(OffloadOverflow overflow)
    {
        var settings = SoakSettings.Default with
        {
            Duration = TimeSpan.FromSeconds(2),
            Overload = 10,
            ErrorRate = 0.05,
            DeadlineShare = 0.3,
            Deadline = TimeSpan.FromMilliseconds(5),
            Overflow = overflow,
            MaxQueuedSubmissions = 256,
        };

        SoakResult result = await new SoakRun(settings).RunAsync(null, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

        SoakCounts counts = result.Counts;
        Assert.True(result.Balanced, $"arrived {counts.Arrived}, ended {counts.Ended}: completed {counts.Completed}, faulted {counts.Faulted}, cancelled {counts.Cancelled}, overloaded {counts.Overloaded}; {result.Shutdown}; last sample {result.Samples[^1]}");
        Assert.True(counts.Unexpected == 0, $"unexpected: {counts.FirstUnexpected}");
        Assert.True(counts.Completed > 0, "nothing completed");
        Assert.True(counts.Faulted > 0, "no injected error reached a caller");
        Assert.True(counts.Overloaded > 0, "ten times the capacity never reached the waiting bound");
        Assert.True(counts.Cancelled > 0, "no deadline fired");
        Assert.Equal(0, result.Shutdown.UnresponsiveLoops);
        Assert.All(result.Samples, s => Assert.InRange(s.Queued, 0, settings.MaxQueuedSubmissions * settings.Loops));
    }

    [Fact]
    public async Task WithOneLoopDeadlockedTheStopStillReturnsAndAccountsForWhatItAbandoned()
    {
        var settings = SoakSettings.Default with
        {
            Duration = TimeSpan.FromSeconds(2),
            Loops = 2,
            MaxQueuedSubmissions = 256,
            DeadlockOneLoop = true,
        };

        SoakResult result = await new SoakRun(settings).RunAsync(null, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(result.BalancedWithAbandoned, $"arrived {result.Counts.Arrived}, ended {result.Counts.Ended}, abandoned {result.Shutdown.Abandoned}");
        Assert.Equal(1, result.Shutdown.UnresponsiveLoops);
        Assert.True(result.Shutdown.Abandoned >= 2, "the blocked loop's coroutines were not reported as abandoned");
        Assert.Equal(0, result.Counts.Unexpected);
    }
}
