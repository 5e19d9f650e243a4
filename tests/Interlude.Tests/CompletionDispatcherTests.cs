using Interlude.Native;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class CompletionDispatcherTests
{
    // Seed, idle priority, poll window (-1: infinite; 0: the dispatcher sleeps at once and devices wake owners
    // directly while it sleeps), owner spin.
    [Theory]
    [InlineData(11, true, 1_000, 2)]
    [InlineData(12, false, -1, 0)]
    [InlineData(13, true, 0, 0)]
    public async Task EveryCompletionIsDeliveredExactlyOnceToTheRightOwnerUnderStress(int seed, bool idlePriority, int pollWindowUs, int ownerSpinUs)
    {
        const int owners = 8;
        const int offloadsEach = 250;
        using SimulatedAccelerator device = CreateDevice(o =>
        {
            o.ServiceTime = ServiceTime.Exponential(TimeSpan.FromMicroseconds(10));
            o.ErrorRate = 0.02;
            o.Seed = seed;
        });
        using var dispatcher = new CompletionDispatcher(new CompletionDispatcherOptions
        {
            Core = AppCore(),
            UseIdlePriority = idlePriority,
            PollWindow = pollWindowUs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMicroseconds(pollWindowUs),
            OwnerSpin = TimeSpan.FromMicroseconds(ownerSpinUs),
        });

        Task<OwnerTally>[] runs = Enumerable.Range(0, owners).Select(owner => DedicatedThread.Run(
            () =>
            {
                var tally = new OwnerTally();
                var random = new Random(seed * 100 + owner);
                for (int sequence = 0; sequence < offloadsEach; sequence++)
                {
                    long tag = ((long)owner << 32) | (uint)sequence;
                    bool fails = random.Next(10) == 0;
                    int extraSpin = random.Next(4) == 0 ? random.Next(50, 2_000) : 0;
                    try
                    {
                        long echoed = dispatcher.Offload(
                            device,
                            static request =>
                            {
                                Thread.SpinWait(request.ExtraSpin);
                                return request.Fails ? throw new TaggedFailure(request.Tag) : request.Tag;
                            },
                            (Tag: tag, Fails: fails, ExtraSpin: extraSpin));
                        Assert.False(fails, $"owner {owner} #{sequence} should have failed");
                        Assert.Equal(tag, echoed);
                        tally.Results++;
                    }
                    catch (TaggedFailure failure)
                    {
                        Assert.True(fails, $"owner {owner} #{sequence} got a failure it did not ask for");
                        Assert.Equal(tag, failure.Tag);
                        tally.OwnFailures++;
                    }
                    catch (AcceleratorException)
                    {
                        tally.DeviceErrors++;
                    }
                }

                return tally;
            },
            $"dispatcher-owner-{owner}")).ToArray();

        OwnerTally[] tallies = await Task.WhenAll(runs).Guarded();

        Assert.All(tallies, t => Assert.Equal(offloadsEach, t.Results + t.OwnFailures + t.DeviceErrors));
        Assert.True(tallies.Sum(t => t.OwnFailures) > 0, "no work-function failure was injected");
        Assert.True(tallies.Sum(t => t.DeviceErrors) > 0, "no device error was injected");
    }

    [Fact]
    public async Task DisposingWithOwnersBlockedFailsThemWithObjectDisposedException()
    {
        using SimulatedAccelerator device = CreateDevice(o => o.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMinutes(5)));
        var dispatcher = new CompletionDispatcher(new CompletionDispatcherOptions { Core = AppCore() });

        Task[] owners = Enumerable.Range(0, 4).Select(i => DedicatedThread.Run(
            () => dispatcher.Offload(device),
            $"dispatcher-disposed-owner-{i}")).ToArray();
        await Eventually.TrueAsync(() => dispatcher.WaitingOwners == owners.Length, "every owner is blocked in its offload");

        dispatcher.Dispose();

        foreach (Task owner in owners)
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(() => owner.Guarded());
        }

        Assert.Throws<ObjectDisposedException>(() => dispatcher.Offload(device));
    }

    [Fact]
    public async Task DisposingTheAcceleratorFailsABlockedOwnerWithObjectDisposedException()
    {
        SimulatedAccelerator device = CreateDevice(o => o.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMinutes(5)));
        using var dispatcher = new CompletionDispatcher(new CompletionDispatcherOptions { Core = AppCore() });

        Task owner = DedicatedThread.Run(() => dispatcher.Offload(device), "dispatcher-device-disposed-owner");
        await Eventually.TrueAsync(() => dispatcher.WaitingOwners == 1, "the owner is blocked in its offload");
        device.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => owner.Guarded());
    }

    [Fact]
    public async Task ACancelledOffloadThrowsAndTheThreadCanOffloadAgain()
    {
        using SimulatedAccelerator device = CreateDevice(o => o.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(5)));
        using var dispatcher = new CompletionDispatcher(new CompletionDispatcherOptions { Core = AppCore() });

        using var callerGaveUp = new ManualResetEventSlim();

        int after = await DedicatedThread.Run(
            () =>
            {
                using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
                Assert.ThrowsAny<OperationCanceledException>(() => dispatcher.Offload(
                    device,
                    static gaveUp =>
                    {
                        // Holds the device until the caller has given up, so the cancellation cannot lose the race.
                        gaveUp.Wait(Timeouts.Generous);
                        return 1;
                    },
                    callerGaveUp,
                    cancellation.Token));
                callerGaveUp.Set();
                Assert.Throws<OperationCanceledException>(() => dispatcher.Offload(device, new CancellationToken(canceled: true)));
                return dispatcher.Offload(device, static x => x + 1, 41);
            },
            "dispatcher-cancelling-owner").Guarded();

        Assert.Equal(42, after);
    }

    [Fact]
    public async Task TheOwnerLimitIsEnforcedWithAClearErrorAndEndedThreadsFreeTheirSlots()
    {
        using SimulatedAccelerator device = CreateDevice();
        using var dispatcher = new CompletionDispatcher(new CompletionDispatcherOptions { Core = AppCore(), MaxOwners = 2 });
        using var release = new ManualResetEventSlim();

        Task[] holders = Enumerable.Range(0, 2).Select(i => DedicatedThread.Run(
            () =>
            {
                dispatcher.Offload(device);
                release.Wait(Timeouts.Generous);
            },
            $"dispatcher-holder-{i}")).ToArray();
        await Eventually.TrueAsync(() => dispatcher.RegisteredOwners == 2, "both holders have offloaded");

        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => DedicatedThread.Run(() => dispatcher.Offload(device), "dispatcher-over-limit").Guarded());
        Assert.Contains("MaxOwners", refused.Message, StringComparison.Ordinal);

        release.Set();
        await Task.WhenAll(holders).Guarded();

        // A holder's task completes just before its thread ends, so the slot frees a moment later.
        int reused = -1;
        await Eventually.TrueAsync(
            () =>
            {
                try
                {
                    reused = DedicatedThread.Run(() => dispatcher.Offload(device, static x => x, 7), "dispatcher-reuser").Guarded().GetAwaiter().GetResult();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            },
            "a new thread takes the slot of an ended one");
        Assert.Equal(7, reused);
    }

    [Fact]
    public async Task ALoopThreadIsRefusedBecauseItMustNotBlock()
    {
        await using var group = TestRig.CreateGroup(WaitStrategy.Block);
        using SimulatedAccelerator device = CreateDevice();
        using var dispatcher = new CompletionDispatcher(new CompletionDispatcherOptions { Core = AppCore() });

        Exception? error = await group.RunAsync(() =>
        {
            try
            {
                dispatcher.Offload(device);
                return ValueTask.FromResult<Exception?>(null);
            }
            catch (InvalidOperationException ex)
            {
                return ValueTask.FromResult<Exception?>(ex);
            }
        }).Guarded();

        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public async Task ASteadyStreamOfOffloadsAllocatesNothingOnTheOwnerThread()
    {
        using SimulatedAccelerator device = CreateDevice(o => o.ServiceTime = ServiceTime.Fixed(TimeSpan.Zero));
        using var dispatcher = new CompletionDispatcher(new CompletionDispatcherOptions { Core = AppCore() });

        long[] windows = await DedicatedThread.Run(
            () =>
            {
                Func<int, int> increment = static x => x + 1;
                for (int i = 0; i < 200; i++)
                {
                    dispatcher.Offload(device, increment, i);
                    dispatcher.Offload(device);
                }

                long[] allocated = new long[3];
                for (int window = 0; window < allocated.Length; window++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 1_000; i++)
                    {
                        dispatcher.Offload(device, increment, i);
                        dispatcher.Offload(device);
                    }

                    allocated[window] = GC.GetAllocatedBytesForCurrentThread() - before;
                }

                return allocated;
            },
            "dispatcher-allocation-owner").Guarded();

        // Per offload, nothing: 2,000 offloads a window would allocate tens of kilobytes in every window. A one-off of
        // a few dozen bytes in a single window (32 once, under a parallel test run on a loaded machine; its source is
        // not identified) is not a steady-state cost; a cost that recurs shows in every window.
        Assert.True(windows.Count(bytes => bytes > 0) <= 1 && windows.Sum() < 256, $"allocated per window: {string.Join(", ", windows)} bytes");
    }

    [Fact]
    public void InvalidOptionsAreRejectedWithTheirNames()
    {
        Assert.Equal("MaxOwners", Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionDispatcher(new CompletionDispatcherOptions { MaxOwners = 0 })).ParamName);
        Assert.Equal("MaxOwners", Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionDispatcher(new CompletionDispatcherOptions { MaxOwners = 5_000 })).ParamName);
        Assert.Equal("PollWindow", Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionDispatcher(new CompletionDispatcherOptions { PollWindow = TimeSpan.FromTicks(-5) })).ParamName);
        Assert.Equal("Core", Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionDispatcher(new CompletionDispatcherOptions { Core = -1 })).ParamName);
        Assert.Equal("OwnerSpin", Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionDispatcher(new CompletionDispatcherOptions { OwnerSpin = TimeSpan.FromSeconds(1) })).ParamName);
        using var dispatcher = new CompletionDispatcher();
        Assert.Throws<ArgumentNullException>(() => dispatcher.Offload(null!));
        Assert.Throws<ArgumentNullException>(() => dispatcher.Offload<int, int>(null!, x => x, 0));
        using SimulatedAccelerator device = CreateDevice();
        Assert.Throws<ArgumentNullException>(() => dispatcher.Offload<int, int>(device, null!, 0));
    }

    /// <summary>The dispatcher and its owners share the first allowed core; the device gets the last one.</summary>
    private static int AppCore() => CpuAffinity.AllowedCores()[0];

    private static SimulatedAccelerator CreateDevice(Action<SimulatedAcceleratorOptions>? configure = null)
        => TestRig.CreateDevice(o =>
        {
            int[] cores = CpuAffinity.AllowedCores();
            o.Cores = cores.Length > 1 ? [cores[^1]] : null;
            configure?.Invoke(o);
        });

    private sealed class OwnerTally
    {
        public int Results;
        public int OwnFailures;
        public int DeviceErrors;
    }

    private sealed class TaggedFailure(long tag) : Exception($"injected failure {tag}")
    {
        public long Tag { get; } = tag;
    }
}
