using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class LoopGroupLifecycleTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task SpawningAfterStopThrowsInvalidOperationException(WaitStrategy strategy)
    {
        LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        await group.StopAsync(TimeSpan.FromSeconds(5)).Guarded();

        Assert.Throws<InvalidOperationException>(() => group.Spawn(() => ValueTask.CompletedTask));
        Assert.Throws<InvalidOperationException>(() => { _ = group.RunAsync(() => ValueTask.CompletedTask); });
        Assert.Throws<InvalidOperationException>(() => { _ = group.RunAsync(() => ValueTask.FromResult(1)); });
        Assert.Throws<InvalidOperationException>(() => group[0].Spawn(static _ => ValueTask.CompletedTask, 0));
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => { _ = group[1].RunAsync(() => ValueTask.CompletedTask); });
        Assert.Contains("stopped", error.Message);
        Assert.Equal(0, group.InFlightCoroutines);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task StoppingFromOneOfTheGroupsOwnLoopsThrows(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);

        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Loop.RunAsync(async () => await rig.Group.StopAsync(TimeSpan.Zero)).Guarded());
        Assert.Equal(1, await rig.Loop.RunAsync(() => ValueTask.FromResult(1)).Guarded());
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task SpawnSpreadsCoroutinesOverEveryLoop(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, loops: 2);

        Loop?[] ranOn = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => rig.Group.RunAsync(() => ValueTask.FromResult(Loop.Current)))).Guarded();

        Assert.Equal(4, ranOn.Count(l => l == rig.Group[0]));
        Assert.Equal(4, ranOn.Count(l => l == rig.Group[1]));
        Assert.All(rig.Group.GetStatistics(), s => Assert.Equal(4, s.CoroutinesStarted));
    }
}
