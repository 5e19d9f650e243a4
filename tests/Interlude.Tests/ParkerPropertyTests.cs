using CsCheck;
using Interlude.Tests.Infrastructure;
using Interlude.Waiting;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// Properties of <see cref="Parker"/> over generated inputs (CsCheck: a failure prints the seed that regenerates
/// its input, shrunk to the smallest found): no wake is lost, whatever the order of the owner's
/// TryPrepare/Cancel/Wait and the wakers' Unpark/UnparkIfParked.
/// </summary>
public sealed class ParkerPropertyTests
{
    private const int TryPrepare = 0;
    private const int Cancel = 1;
    private const int Wait = 2;
    private const int Unpark = 3;
    private const int UnparkIfParked = 4;

    // Only a hang guard: a sleep that runs into it is a lost wake.
    private static readonly long s_hangGuardNs = (long)TimeSpan.FromSeconds(10).TotalNanoseconds;

    /// <summary>
    /// Any order of the calls, one at a time, against a model of the state word: a wake that arrives before the
    /// owner prepares makes the prepare fail; one that arrives after makes the next wait return notified; the
    /// sleeper is woken exactly when the owner had announced its sleep, never otherwise.
    /// </summary>
    [Fact]
    public void AnyOrderOfCallsKeepsEveryWakeAndWakesTheSleeperOnlyWhenParked()
    {
        Gen.Int[TryPrepare, UnparkIfParked].Array[1, 120].Sample(
            operations =>
            {
                var parker = new Parker();
                var sleeper = new RecordingSleeper();
                parker.UseSleeper(sleeper);
                int state = Parker.Empty;
                bool prepared = false;
                int wakes = 0;
                foreach (int operation in operations)
                {
                    // The owner follows its protocol: Cancel or Wait only after a successful TryPrepare.
                    int call = !prepared && operation is Cancel or Wait ? TryPrepare : prepared && operation == TryPrepare ? Wait : operation;
                    switch (call)
                    {
                        case TryPrepare:
                            Assert.Equal(state == Parker.Empty, parker.TryPrepare());
                            prepared = state == Parker.Empty;
                            state = prepared ? Parker.Parked : Parker.Empty;
                            break;
                        case Cancel:
                            parker.Cancel();
                            prepared = false;
                            state = Parker.Empty;
                            break;
                        case Wait:
                            Assert.Equal(state == Parker.Notified, parker.Wait(0));
                            prepared = false;
                            state = Parker.Empty;
                            break;
                        case Unpark:
                            parker.Unpark();
                            wakes += state == Parker.Parked ? 1 : 0;
                            state = Parker.Notified;
                            break;
                        default:
                            parker.UnparkIfParked();
                            if (state == Parker.Parked)
                            {
                                wakes++;
                                state = Parker.Notified;
                            }

                            break;
                    }

                    Assert.Equal(state, parker.CurrentState);
                    Assert.Equal(wakes, sleeper.Wakes);
                    Assert.Equal(0, sleeper.Sleeps);
                }
            },
            iter: 5_000,
            threads: 1);
    }

    /// <summary>
    /// An owner thread and one or two waker threads race through generated rounds: each round a waker publishes
    /// work and wakes the owner (Unpark, or a fence and UnparkIfParked), after a generated pause, while the owner
    /// prepares, pauses, re-checks and sleeps, on the futex or on an epoll-like sleeper. The owner must consume
    /// every round without a sleep running into the hang guard.
    /// </summary>
    [Fact]
    public void ConcurrentParksAndUnparksNeverLoseAWake()
    {
        Gen<(int OwnerPause, int WakerPause, bool UseUnpark, bool SecondWaker)> round =
            Gen.Select(Gen.Int[0, 60], Gen.Frequency((3, Gen.Int[0, 12]), (1, Gen.Int[0, 400])), Gen.Bool, Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true))));
        Gen.Select(round.Array[20, 300], Gen.Bool).Sample(
            (rounds, onFutex) =>
            {
                var parker = new Parker();
                using var sleeper = new TimeoutRecordingSleeper();
                long published = 0;
                long consumed = 0;
                int lostWakes = 0;

                Task owner = DedicatedThread.Run(
                    () =>
                    {
                        if (!onFutex)
                        {
                            parker.UseSleeper(sleeper);
                        }

                        for (long r = 1; r <= rounds.Length; r++)
                        {
                            while (Volatile.Read(ref published) < r)
                            {
                                if (!parker.TryPrepare())
                                {
                                    continue;
                                }

                                Thread.SpinWait(rounds[r - 1].OwnerPause);
                                if (Volatile.Read(ref published) >= r)
                                {
                                    parker.Cancel();
                                    break;
                                }

                                if (!parker.Wait(s_hangGuardNs) || sleeper.Timeouts > 0)
                                {
                                    Interlocked.Increment(ref lostWakes);
                                    return;
                                }
                            }

                            Volatile.Write(ref consumed, r);
                        }
                    },
                    "parker owner");

                void Wake(int index, bool useUnpark)
                {
                    for (long r = 1; r <= rounds.Length; r++)
                    {
                        var spin = new BoundedSpin("the owner takes the previous round");
                        while (Volatile.Read(ref consumed) < r - 1)
                        {
                            if (Volatile.Read(ref lostWakes) != 0)
                            {
                                return;
                            }

                            spin.Once();
                        }

                        (int _, int wakerPause, bool unpark, bool second) = rounds[r - 1];
                        if (index == 1 && !second)
                        {
                            continue;
                        }

                        // Publish (never moving the round back, when the other waker is slower), then wake.
                        Thread.SpinWait(wakerPause);
                        long seen = Volatile.Read(ref published);
                        while (seen < r && Interlocked.CompareExchange(ref published, r, seen) is long previous && previous != seen)
                        {
                            seen = previous;
                        }

                        if (unpark == useUnpark)
                        {
                            parker.Unpark();
                        }
                        else
                        {
                            Interlocked.MemoryBarrier();
                            parker.UnparkIfParked();
                        }
                    }
                }

                Task first = DedicatedThread.Run(() => Wake(0, useUnpark: true), "parker waker");
                Task second = DedicatedThread.Run(() => Wake(1, useUnpark: false), "parker second waker");

                Assert.True(Task.WhenAll(owner, first, second).Wait(Timeouts.Generous), "the owner or a waker hung");
                Assert.Equal(0, lostWakes);
                Assert.Equal(rounds.Length, Volatile.Read(ref consumed));
            },
            iter: 100,
            threads: 1);
    }
}
