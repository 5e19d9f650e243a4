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

    /// <summary>
    /// The device skips an operation whose token fired before it started; the loop must fail it with cancellation
    /// even when it reaps the skipped operation before it runs the cancellation it was posted, never hand the
    /// awaiter a default result as a success.
    /// </summary>
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnOffloadTheDeviceSkippedAfterCancellationFailsEvenWhenReapedFirst(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, configureDevice: device =>
        {
            device.Lanes = 1;
            device.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMilliseconds(200));
        });
        using var cancellation = new CancellationTokenSource();
        int ran = 0;

        string outcome = await rig.Loop.RunAsync(async () =>
        {
            // From here on this coroutine runs from the loop's run queue, which the loop drains after its inbox.
            await Loop.Yield();

            // The first operation holds the only lane for 200 ms, so the second waits in the ring meanwhile.
            var started = System.Diagnostics.Stopwatch.StartNew();
            ValueTask first = rig.Device.SubmitAsync();
            ValueTask<int> second = rig.Device.SubmitAsync(x => Interlocked.Increment(ref ran) + x, 41, cancellation.Token);

            // Cancelled from another thread while this loop is busy: the cancellation is posted to the loop and
            // waits in its inbox. The loop stays busy past the device's skip, so its next poll reaps the skipped
            // operation before the posted cancellation runs.
            new Thread(cancellation.Cancel) { IsBackground = true }.Start();
            var spin = new BoundedSpin("the token is cancelled");
            while (!cancellation.IsCancellationRequested)
            {
                spin.Once();
            }

            while (started.ElapsedMilliseconds < 300)
            {
                Thread.SpinWait(64);
            }

            await first;
            try
            {
                return $"succeeded with {await second}";
            }
            catch (OperationCanceledException ex)
            {
                return ex.CancellationToken == cancellation.Token ? "cancelled" : "cancelled with another token";
            }
        }).Guarded();

        // If the machine was so slow that the device started the operation before the token fired, running it is
        // right; what must never happen is a success without it having run.
        Assert.Equal(Volatile.Read(ref ran) == 0 ? "cancelled" : "succeeded with 42", outcome);
    }
}
