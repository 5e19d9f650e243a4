using CsCheck;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// Properties of <see cref="AsyncLock"/> over generated inputs (CsCheck: a failure prints the seed that
/// regenerates its input, shrunk to the smallest found): mutual exclusion and FIFO hand-over under random
/// acquire, release and cancel.
/// </summary>
public sealed class AsyncLockPropertyTests
{
    private const int Actors = 5;
    private const int Acquire = 0;
    private const int TryLock = 1;
    private const int Release = 2;
    private const int Cancel = 3;

    /// <summary>
    /// Any sequence of acquires, try-locks, releases and cancels by five actors, off any loop (where every grant
    /// and cancellation completes its waiter synchronously, so the model is checked after every step), against a
    /// model holder and FIFO: a free lock is taken at once,
    /// a held one queues, a release hands the lock to the oldest waiter still queued, a cancelled waiter leaves
    /// the queue and fails, and a cancel after the grant changes nothing.
    /// </summary>
    [Fact]
    public void AnySequenceOfAcquiresReleasesAndCancelsHandsTheLockOverInArrivalOrder()
    {
        Gen.Select(Gen.Int[Acquire, Cancel], Gen.Int[0, Actors - 1]).Array[1, 150].Sample(
            operations =>
            {
                var gate = new AsyncLock();
                var actors = new Actor[Actors];
                int? holder = null;
                var queue = new List<int>();
                foreach ((int kind, int id) in operations)
                {
                    ref Actor actor = ref actors[id];
                    switch (kind)
                    {
                        case Acquire when actor.State == ActorState.Idle:
                            actor.Cancellation = new CancellationTokenSource();
                            actor.Waiting = gate.LockAsync(actor.Cancellation.Token);
                            if (holder is null)
                            {
                                Assert.True(actor.Waiting.IsCompletedSuccessfully, "a free lock was not taken at once");
                                actor.Hold(actor.Waiting.Result);
                                holder = id;
                            }
                            else
                            {
                                Assert.False(actor.Waiting.IsCompleted, "a held lock was taken");
                                actor.State = ActorState.Waiting;
                                queue.Add(id);
                            }

                            break;
                        case TryLock when actor.State == ActorState.Idle:
                            bool taken = gate.TryLock(out AsyncLock.Releaser releaser);
                            Assert.Equal(holder is null, taken);
                            if (taken)
                            {
                                actor.Hold(releaser);
                                holder = id;
                            }

                            break;
                        case Release when actor.State == ActorState.Holding:
                            actor.Releaser.Dispose();
                            actor.State = ActorState.Idle;
                            holder = null;
                            if (queue.Count > 0)
                            {
                                int next = queue[0];
                                queue.RemoveAt(0);
                                Assert.True(actors[next].Waiting.IsCompletedSuccessfully, $"the oldest waiter ({next}) was not granted the lock");
                                actors[next].Hold(actors[next].Waiting.Result);
                                holder = next;
                            }

                            break;
                        case Cancel when actor.Cancellation is not null:
                            actor.Cancellation.Cancel();
                            if (actor.State == ActorState.Waiting)
                            {
                                Assert.True(actor.Waiting.IsCanceled, "a cancelled waiter did not fail with cancellation");
                                queue.Remove(id);
                                actor.State = ActorState.Idle;
                            }

                            actor.Cancellation = null;
                            break;
                    }

                    Assert.Equal(holder is not null, gate.IsHeld);
                    Assert.Equal(queue.Count, gate.WaitingCount);
                    foreach (int waiting in queue)
                    {
                        Assert.False(actors[waiting].Waiting.IsCompleted, $"waiter {waiting} completed while queued");
                    }
                }
            },
            iter: 3_000,
            threads: 1);
    }

    /// <summary>
    /// Coroutines on two loops and two plain threads run generated scripts of acquisitions (some with a token a
    /// generated pause later cancels) and hold the lock across a yield: never two holders at once, every
    /// acquisition not cancelled is granted (a lost grant would hang), and the lock ends free with nobody queued.
    /// </summary>
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public void ConcurrentAcquiresReleasesAndCancelsKeepMutualExclusion(WaitStrategy strategy)
    {
        Gen<(bool Cancelled, int Pause)> step = Gen.Select(Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true))), Gen.Int[0, 200]);
        using LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        step.Array[1, 25].Array[4, 4].Sample(
            scripts =>
            {
                var gate = new AsyncLock();
                int holders = 0;
                int overlaps = 0;
                long inside = 0;
                long granted = 0;

                async Task Run((bool Cancelled, int Pause)[] script)
                {
                    foreach ((bool cancelled, int pause) in script)
                    {
                        using var cancellation = new CancellationTokenSource();
                        ValueTask<AsyncLock.Releaser> acquiring = gate.LockAsync(cancellation.Token);
                        if (cancelled)
                        {
                            Thread.SpinWait(pause);
                            cancellation.Cancel();
                        }

                        AsyncLock.Releaser releaser;
                        try
                        {
                            releaser = await acquiring;
                        }
                        catch (OperationCanceledException)
                        {
                            continue;
                        }

                        using (releaser)
                        {
                            if (Interlocked.Increment(ref holders) != 1)
                            {
                                Interlocked.Increment(ref overlaps);
                            }

                            long read = inside;
                            Thread.SpinWait(pause);
                            if (Loop.Current is not null)
                            {
                                await Loop.Yield();
                            }

                            inside = read + 1;
                            Interlocked.Decrement(ref holders);
                        }

                        Interlocked.Increment(ref granted);
                    }
                }

                Task all = Task.WhenAll(
                    group[0].RunAsync(() => new ValueTask(Run(scripts[0]))),
                    group[1].RunAsync(() => new ValueTask(Run(scripts[1]))),
                    Task.Run(() => Run(scripts[2])),
                    Task.Run(() => Run(scripts[3])));

                Assert.True(all.Wait(Timeouts.Generous), "an acquisition was never granted or cancelled");
                Assert.Equal(0, overlaps);
                Assert.Equal(granted, inside);
                Assert.False(gate.IsHeld);
                Assert.Equal(0, gate.WaitingCount);
            },
            iter: 200,
            threads: 1);
    }

    private enum ActorState
    {
        Idle,
        Waiting,
        Holding,
    }

    private struct Actor
    {
        public ActorState State;
        public CancellationTokenSource? Cancellation;
        public ValueTask<AsyncLock.Releaser> Waiting;
        public AsyncLock.Releaser Releaser;

        public void Hold(AsyncLock.Releaser releaser)
        {
            State = ActorState.Holding;
            Releaser = releaser;
            Waiting = default;
        }
    }
}
