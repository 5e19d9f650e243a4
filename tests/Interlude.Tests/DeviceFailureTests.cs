using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class DeviceFailureTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AWorkFunctionsExceptionReachesOnlyItsAwaitingCoroutine(WaitStrategy strategy)
    {
        const int count = 300;
        await using TestRig rig = TestRig.Create(strategy, loops: 2);

        Task[] tasks = Enumerable.Range(0, count)
            .Select(id => rig.Group.RunAsync(async () =>
            {
                Loop loop = Loop.Current!;
                try
                {
                    int result = await rig.Device.SubmitAsync(static x => x % 5 == 0 ? throw new InvalidOperationException($"bad input {x}") : x * 2, id);
                    Assert.NotEqual(0, id % 5);
                    Assert.Equal(id * 2, result);
                }
                catch (InvalidOperationException ex)
                {
                    Assert.Equal($"bad input {id}", ex.Message);
                }

                Assert.Same(loop, Loop.Current);
            }))
            .ToArray();
        await Task.WhenAll(tasks).Guarded();

        IReadOnlyList<LoopStatistics> stats = rig.Group.GetStatistics();
        Assert.Equal(count / 5, stats.Sum(s => s.OffloadsFailed));
        Assert.Equal(0, stats.Sum(s => s.CoroutinesFaulted));

        int after = await rig.Loop.RunAsync(async () => await rig.Device.SubmitAsync(static x => x + 1, 41)).Guarded();
        Assert.Equal(42, after);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task InjectedDeviceErrorsFollowTheSeedAndSpareTheOtherOffloads(WaitStrategy strategy)
    {
        const int count = 400;
        const double errorRate = 0.25;

        bool[] first = await RunSequenceAsync(strategy, seed: 1234);
        bool[] repeat = await RunSequenceAsync(strategy, seed: 1234);
        bool[] other = await RunSequenceAsync(strategy, seed: 4321);

        Assert.Equal(first, repeat);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count(failed => failed), count * errorRate / 2, count * errorRate * 2);

        static async Task<bool[]> RunSequenceAsync(WaitStrategy strategy, int seed)
        {
            await using TestRig rig = TestRig.Create(strategy, configureDevice: device =>
            {
                device.ErrorRate = errorRate;
                device.Seed = seed;
            });
            bool[] failed = await rig.Loop.RunAsync(async () =>
            {
                var outcome = new bool[count];
                for (int i = 0; i < count; i++)
                {
                    try
                    {
                        Assert.Equal(i, await rig.Device.SubmitAsync(static x => x, i));
                    }
                    catch (AcceleratorException)
                    {
                        outcome[i] = true;
                    }
                }

                return outcome;
            }).Guarded();

            LoopStatistics stats = rig.Group.GetStatistics()[0];
            Assert.Equal(failed.Count(f => f), stats.OffloadsFailed);
            Assert.Equal(count, stats.OffloadsCompleted);
            return failed;
        }
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task CancellingAnInFlightOffloadFailsOnlyItsCoroutine(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        using SimulatedAccelerator slow = TestRig.CreateDevice(device => device.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMinutes(10)));
        using var victimCancel = new CancellationTokenSource();
        using var bystanderCancel = new CancellationTokenSource();
        int accepted = 0;

        Task<string> victim = rig.Loop.RunAsync(async () =>
        {
            try
            {
                await slow.SubmitAsync(_ => Interlocked.Increment(ref accepted), 0, victimCancel.Token);
                return "completed";
            }
            catch (OperationCanceledException ex) when (ex.CancellationToken == victimCancel.Token)
            {
                Assert.Same(rig.Loop, Loop.Current);
                return "cancelled";
            }
        });
        Task<string> bystander = rig.Loop.RunAsync(async () =>
        {
            try
            {
                await slow.SubmitAsync(_ => Interlocked.Increment(ref accepted), 0, bystanderCancel.Token);
                return "completed";
            }
            catch (OperationCanceledException)
            {
                return "cancelled";
            }
        });

        await Eventually.TrueAsync(() => Volatile.Read(ref accepted) == 2, "the device has taken both offloads into service");
        await victimCancel.CancelAsync();

        Assert.Equal("cancelled", await victim.Guarded());
        Assert.False(bystander.IsCompleted);

        int[] others = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(i => rig.Loop.RunAsync(async () => await rig.Device.SubmitAsync(static x => x * x, i))))
            .Guarded();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * i), others);
        Assert.False(bystander.IsCompleted);

        LoopStatistics stats = rig.Group.GetStatistics()[0];
        Assert.Equal(1, stats.OffloadsCancelled);
        Assert.Equal(0, stats.CoroutinesFaulted);

        await bystanderCancel.CancelAsync();
        Assert.Equal("cancelled", await bystander.Guarded());
    }

    [Fact]
    public async Task CancellingAnOffloadSubmittedOffAnyLoopFailsOnlyThatOffload()
    {
        using SimulatedAccelerator slow = TestRig.CreateDevice(device => device.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMinutes(10)));
        using var cancel = new CancellationTokenSource();
        int accepted = 0;

        Task<int> cancelled = slow.SubmitAsync(_ => Interlocked.Increment(ref accepted), 0, cancel.Token).AsTask();
        Task<int> pending = slow.SubmitAsync(_ => Interlocked.Increment(ref accepted), 0).AsTask();
        await Eventually.TrueAsync(() => Volatile.Read(ref accepted) == 2, "the device has taken both offloads into service");
        await cancel.CancelAsync();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Guarded());
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.False(pending.IsCompleted);

        slow.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.Guarded());
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnAlreadyCancelledTokenFailsTheOffloadWithoutRunningIt(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        int ran = 0;

        bool threw = await rig.Loop.RunAsync(async () =>
        {
            try
            {
                await rig.Device.SubmitAsync(_ => Interlocked.Increment(ref ran), 0, cancelled.Token);
                return false;
            }
            catch (OperationCanceledException ex)
            {
                Assert.Equal(cancelled.Token, ex.CancellationToken);
                return true;
            }
        }).Guarded();

        Assert.True(threw);
        Assert.Equal(0, Volatile.Read(ref ran));
    }
}
