using Interlude.Tests.Infrastructure;
using Interlude.Waiting;
using Xunit;

namespace Interlude.Tests;

public sealed class ParkerTests
{
    // Only a hang guard: a wait that runs into it means a wake was lost.
    private static readonly long s_hangGuardNs = (long)TimeSpan.FromSeconds(20).TotalNanoseconds;

    [Fact]
    public void AnUnparkBeforeParkingMakesTheParkReturnAtOnce()
    {
        var parker = new Parker();

        parker.Unpark();
        Assert.Equal(Parker.Notified, parker.CurrentState);
        Assert.False(parker.TryPrepare());
        Assert.Equal(Parker.Empty, parker.CurrentState);

        Assert.True(parker.TryPrepare());
        Assert.True(parker.IsParked);
        parker.Unpark();
        Assert.True(parker.Wait(s_hangGuardNs));
        Assert.Equal(Parker.Empty, parker.CurrentState);
    }

    [Fact]
    public void UnparkIfParkedLeavesAnAwakeOwnerAlone()
    {
        var parker = new Parker();

        parker.UnparkIfParked();
        Assert.Equal(Parker.Empty, parker.CurrentState);
        Assert.True(parker.TryPrepare());

        parker.UnparkIfParked();
        Assert.Equal(Parker.Notified, parker.CurrentState);
        Assert.True(parker.Wait(s_hangGuardNs));
    }

    [Fact]
    public void ACancelledPrepareLeavesNoWakePending()
    {
        var parker = new Parker();

        Assert.True(parker.TryPrepare());
        parker.Cancel();

        Assert.Equal(Parker.Empty, parker.CurrentState);
        Assert.False(parker.Wait(0));
    }

    [Fact]
    public async Task AWakeIsNeverLostUnderConcurrentParkAndUnpark()
    {
        const int rounds = 40_000;
        var parker = new Parker();
        long published = 0;
        long consumed = 0;
        int lostWakes = 0;
        int sleeps = 0;
        bool abandoned = false;

        Task owner = Task.Factory.StartNew(
            () =>
            {
                for (long round = 1; round <= rounds; round++)
                {
                    while (Volatile.Read(ref published) < round)
                    {
                        if (Volatile.Read(ref abandoned))
                        {
                            return;
                        }

                        if (!parker.TryPrepare())
                        {
                            continue;
                        }

                        if (Volatile.Read(ref published) >= round)
                        {
                            parker.Cancel();
                            break;
                        }

                        sleeps++;
                        if (!parker.Wait(s_hangGuardNs))
                        {
                            Interlocked.Increment(ref lostWakes);
                            return;
                        }
                    }

                    Volatile.Write(ref consumed, round);
                }
            },
            TaskCreationOptions.LongRunning);

        Task waker = Task.Factory.StartNew(
            () =>
            {
                var random = new Random(12345);
                for (long round = 1; round <= rounds; round++)
                {
                    var spin = new BoundedSpin("the owner takes the previous round");
                    while (Volatile.Read(ref consumed) < round - 1)
                    {
                        if (Volatile.Read(ref lostWakes) != 0 || Volatile.Read(ref abandoned))
                        {
                            return;
                        }

                        spin.Once();
                    }

                    // Mostly publish within the owner's prepare-and-recheck window, sometimes after it sleeps.
                    Thread.SpinWait(random.Next(4) == 0 ? random.Next(0, 200) : random.Next(0, 8));
                    if (random.Next(2) == 0)
                    {
                        Interlocked.Exchange(ref published, round);
                        parker.Unpark();
                    }
                    else
                    {
                        Volatile.Write(ref published, round);
                        Interlocked.MemoryBarrier();
                        parker.UnparkIfParked();
                    }
                }
            },
            TaskCreationOptions.LongRunning);

        try
        {
            await Task.WhenAll(owner, waker).Guarded();
        }
        catch (TimeoutException)
        {
            Volatile.Write(ref abandoned, true);
            Assert.Fail($"Stuck after {Volatile.Read(ref consumed)} of {rounds} rounds: the owner slept through a wake.");
        }

        Assert.Equal(0, lostWakes);
        Assert.Equal(rounds, Volatile.Read(ref consumed));
        Assert.True(sleeps > 0, "the owner never went to sleep, so no wake was tested");
    }
}
