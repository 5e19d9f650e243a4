using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class FastWakeEventTests
{
    public static TheoryData<int> SpinMicroseconds => new() { 0, 20 };

    [Theory]
    [MemberData(nameof(SpinMicroseconds))]
    public void ASetBeforeTheWaitIsNotLost(int spinUs)
    {
        var signal = new FastWakeEvent(initialState: false, TimeSpan.FromMicroseconds(spinUs));

        signal.Set();
        signal.Set();

        Assert.True(signal.IsSet);
        Assert.True(signal.Wait(Timeouts.Generous));
        Assert.False(signal.IsSet);
        Assert.False(signal.Wait(TimeSpan.Zero), "several sets before a wait count as one");
    }

    [Fact]
    public void AnEventCreatedSetReleasesTheFirstWaitOnly()
    {
        var signal = new FastWakeEvent(initialState: true, TimeSpan.Zero);

        signal.Wait();

        Assert.False(signal.Wait(TimeSpan.Zero));
    }

    [Theory]
    [MemberData(nameof(SpinMicroseconds))]
    public void AWaitThatIsNeverSignalledTimesOutWithFalse(int spinUs)
    {
        var signal = new FastWakeEvent(initialState: false, TimeSpan.FromMicroseconds(spinUs));

        Assert.False(signal.Wait(TimeSpan.Zero));
        Assert.False(signal.Wait(TimeSpan.FromMilliseconds(2)));
        Assert.False(signal.Wait(TimeSpan.FromMilliseconds(2), CancellationToken.None));
    }

    [Fact]
    public void AWaitWithAnAlreadyCancelledTokenThrowsEvenWhenSet()
    {
        var signal = new FastWakeEvent();
        signal.Set();

        Assert.Throws<OperationCanceledException>(() => signal.Wait(new CancellationToken(canceled: true)));
        Assert.True(signal.IsSet, "the refused wait left the signal for the next one");
    }

    [Theory]
    [MemberData(nameof(SpinMicroseconds))]
    public async Task CancellingASleepingWaitThrowsOperationCanceledException(int spinUs)
    {
        var signal = new FastWakeEvent(initialState: false, TimeSpan.FromMicroseconds(spinUs));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        Task wait = DedicatedThread.Run(() => signal.Wait(Timeouts.Generous, cancellation.Token), "fastwake-cancelled-waiter");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.Guarded());
        signal.Set();
        Assert.True(signal.Wait(Timeouts.Generous), "a set after the cancelled wait reaches the next wait");
    }

    [Fact]
    public async Task ASecondConcurrentWaiterIsRefused()
    {
        var signal = new FastWakeEvent();
        using var cancellation = new CancellationTokenSource();
        Task first = DedicatedThread.Run(
            () =>
            {
                // The test's own probing waits may hold the event for a moment; this waiter retries until it is in.
                while (true)
                {
                    try
                    {
                        signal.Wait(cancellation.Token);
                        return;
                    }
                    catch (InvalidOperationException)
                    {
                        Thread.Sleep(1);
                    }
                }
            },
            "fastwake-first-waiter");

        // The first waiter may not have arrived yet: try with a short timeout until the probe is refused.
        var spin = new BoundedSpin("the second waiter is refused");
        while (true)
        {
            try
            {
                Assert.False(signal.Wait(TimeSpan.FromMilliseconds(1)));
            }
            catch (InvalidOperationException ex)
            {
                Assert.Contains("one waiting thread", ex.Message, StringComparison.Ordinal);
                break;
            }

            spin.Once();
        }

        signal.Set();
        await first.Guarded();
    }

    [Fact]
    public async Task SetAndWaitAllocateNothing()
    {
        var ping = new FastWakeEvent();
        var pong = new FastWakeEvent();
        const int rounds = 2_000;

        Task<long> echo = DedicatedThread.Run(
            () =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < rounds; i++)
                {
                    Assert.True(ping.Wait(Timeouts.Generous));
                    pong.Set();
                }

                return GC.GetAllocatedBytesForCurrentThread() - before;
            },
            "fastwake-echo");
        long allocated = await DedicatedThread.Run(
            () =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < rounds; i++)
                {
                    ping.Set();
                    pong.Wait();
                }

                return GC.GetAllocatedBytesForCurrentThread() - before;
            },
            "fastwake-caller").Guarded();

        Assert.Equal(0, allocated);
        Assert.Equal(0, await echo.Guarded());
    }

    [Fact]
    public void InvalidArgumentsAreRejectedWithTheirNames()
    {
        Assert.Equal("spinDuration", Assert.Throws<ArgumentOutOfRangeException>(() => new FastWakeEvent(false, TimeSpan.FromTicks(-1))).ParamName);
        Assert.Equal("spinDuration", Assert.Throws<ArgumentOutOfRangeException>(() => new FastWakeEvent(false, TimeSpan.FromSeconds(2))).ParamName);

        var signal = new FastWakeEvent();
        Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => signal.Wait(TimeSpan.FromMilliseconds(-2))).ParamName);
        Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => signal.Wait(TimeSpan.FromDays(30))).ParamName);
        Assert.Equal(TimeSpan.Zero, new FastWakeEvent().SpinDuration);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(2, 3)]
    public async Task ConcurrentSetStormsNeverLoseTheLastWake(int spinUs, int seed)
    {
        const int setters = 3;
        const int setsEach = 4_000;
        var random = new Random(seed);
        var signal = new FastWakeEvent(initialState: false, TimeSpan.FromMicroseconds(spinUs));
        long published = 0;
        int[] seeds = Enumerable.Range(0, setters).Select(_ => random.Next()).ToArray();

        Task waiter = DedicatedThread.Run(
            () =>
            {
                int wakes = 0;
                while (Volatile.Read(ref published) < setters * setsEach)
                {
                    // Every set comes after its increment: if the count is short, a signal must still be coming.
                    if (!signal.Wait(Timeouts.Generous))
                    {
                        Assert.Fail($"A wake was lost: {Volatile.Read(ref published)} of {setters * setsEach} published.");
                    }

                    wakes++;
                }

                return wakes;
            },
            "fastwake-storm-waiter");

        Task[] storm = seeds.Select((s, i) => DedicatedThread.Run(
            () =>
            {
                var local = new Random(s);
                for (int n = 0; n < setsEach; n++)
                {
                    Interlocked.Increment(ref published);
                    signal.Set();

                    // Mostly back to back, sometimes long enough for the waiter to fall asleep.
                    int pause = local.Next(64);
                    if (pause == 0)
                    {
                        Thread.Sleep(0);
                    }
                    else if (pause < 8)
                    {
                        Thread.SpinWait(local.Next(1, 2_000));
                    }
                }
            },
            $"fastwake-setter-{i}")).ToArray();

        await Task.WhenAll(storm).Guarded();
        await waiter.Guarded();
        Assert.Equal(setters * setsEach, Volatile.Read(ref published));
    }
}
