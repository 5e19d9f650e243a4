using Interlude.Tests.Infrastructure;
using Interlude.Waiting;
using Xunit;

namespace Interlude.Tests;

public sealed class ParkerSleeperTests
{
    private static readonly long s_hangGuardNs = (long)TimeSpan.FromSeconds(20).TotalNanoseconds;

    [Fact]
    public void AnUnparkReachesTheSleeperOnlyWhileTheOwnerIsParked()
    {
        var parker = new Parker();
        var sleeper = new RecordingSleeper();
        parker.UseSleeper(sleeper);

        parker.Unpark();
        Assert.Equal(0, sleeper.Wakes);
        Assert.False(parker.TryPrepare());

        Assert.True(parker.TryPrepare());
        parker.Unpark();
        Assert.Equal(1, sleeper.Wakes);
        Assert.True(parker.Wait(s_hangGuardNs));
        Assert.Equal(0, sleeper.Sleeps);
    }

    [Fact]
    public void ReadinessOfTheSleepersOwnEndsTheWaitWithoutANotification()
    {
        var parker = new Parker();
        var sleeper = new RecordingSleeper { ReturnsOwnReadiness = true };
        parker.UseSleeper(sleeper);

        Assert.True(parker.TryPrepare());
        Assert.False(parker.Wait(s_hangGuardNs));

        Assert.Equal(1, sleeper.Sleeps);
        Assert.Equal(Parker.Empty, parker.CurrentState);
    }

    [Fact]
    public async Task AWakeFromAnotherThreadEndsASleepInTheSleeper()
    {
        var parker = new Parker();
        using var sleeper = new BlockingSleeper();
        parker.UseSleeper(sleeper);
        Assert.True(parker.TryPrepare());

        Task<bool> waiting = Task.Run(() => parker.Wait(s_hangGuardNs));
        await Eventually.TrueAsync(() => sleeper.Sleeping, "the owner sleeps in the sleeper");
        await Task.Run(parker.Unpark);

        Assert.True(await waiting.Guarded());
    }
}
