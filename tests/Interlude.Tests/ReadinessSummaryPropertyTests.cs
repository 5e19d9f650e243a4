using System.Numerics;
using CsCheck;
using Interlude.Primitives;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// Properties of <see cref="ReadinessSummary"/> over generated inputs (CsCheck: a failure prints the seed that
/// regenerates its input, shrunk to the smallest found).
/// </summary>
public sealed class ReadinessSummaryPropertyTests
{
    /// <summary>
    /// Any sequence of rings, takes and returns on one thread: each take yields one whole word of exactly the
    /// queues rung and not yet taken, a take finds something exactly while some queue is rung, and the summary
    /// never looks empty while one is.
    /// </summary>
    [Fact]
    public void AnySequenceOfRingsTakesAndReturnsTakesExactlyTheQueuesRung()
    {
        Gen.Select(Gen.Int[1, ReadinessSummary.MaxQueues], Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue]).Array[1, 200]).Sample(
            (capacity, operations) =>
            {
                var summary = new ReadinessSummary(capacity);
                var rung = new SortedSet<int>();
                foreach ((int kind, int value) in operations)
                {
                    if (kind < 2)
                    {
                        int queue = value % capacity;
                        summary.Ring(queue);
                        rung.Add(queue);
                    }
                    else
                    {
                        bool took = summary.TryTake(out int first, out ulong ready);
                        Assert.Equal(rung.Count > 0, took);
                        if (took)
                        {
                            Assert.Equal(0, first % 64);
                            Assert.Equal(WordOf(rung, first), ready);
                            rung.ExceptWith(QueuesOf(first, ready));
                            if (kind == 3)
                            {
                                // Give back part of the word, as a loop does when its budget runs out.
                                ulong returned = ready & (((ulong)(uint)value << 32) | (uint)value);
                                summary.Return(first, returned);
                                rung.UnionWith(QueuesOf(first, returned));
                            }
                        }
                    }

                    // Never unrung while a queue is rung; a word it already took may still show (a spurious ring).
                    Assert.True(rung.Count == 0 || summary.IsRung, "a rung queue does not show in the summary");
                }

                var taken = new SortedSet<int>();
                while (summary.TryTake(out int first, out ulong ready))
                {
                    taken.UnionWith(QueuesOf(first, ready));
                }

                Assert.Equal(rung, taken);
            },
            iter: 2_000,
            threads: 1);
    }

    /// <summary>
    /// Producer threads publish counted items into generated queues and ring them while a consumer thread takes
    /// rung words, drains some queues and gives the rest back, each side pausing by a generated pattern. After
    /// the producers finish, the consumer takes until nothing is rung: every item published has been drained, so
    /// no ring was lost and every rung queue was taken.
    /// </summary>
    [Fact]
    public void ConcurrentRingsAndTakesNeverLoseARing()
    {
        Gen<int[]> producerQueues = Gen.Int[0, ReadinessSummary.MaxQueues - 1].Array[1, 400];
        Gen.Select(Gen.Int[1, ReadinessSummary.MaxQueues], producerQueues.Array[1, 3], Gen.Int[0, 30].Array[1, 8], Gen.ULong.Array[1, 8]).Sample(
            (capacity, producers, pauses, returnMasks) =>
            {
                var summary = new ReadinessSummary(capacity);
                var pending = new long[capacity];
                long published = producers.Sum(p => (long)p.Length);
                int producersLeft = producers.Length;
                using var start = new Barrier(producers.Length + 1);

                Task<long> consumer = DedicatedThread.Run(
                    () =>
                    {
                        start.SignalAndWait();
                        long received = 0;
                        int step = 0;
                        var spin = new BoundedSpin("the producers finish");
                        while (true)
                        {
                            bool done = Volatile.Read(ref producersLeft) == 0;
                            bool any = false;

                            // A budget per pass, as a loop has, so words given back are taken again only after
                            // the next look at whether the producers are done.
                            for (int budget = 0; budget < 16 && summary.TryTake(out int first, out ulong ready); budget++)
                            {
                                any = true;
                                ulong giveBack = done ? 0 : ready & returnMasks[step++ % returnMasks.Length];
                                for (ulong drain = ready & ~giveBack; drain != 0; drain &= drain - 1)
                                {
                                    received += Interlocked.Exchange(ref pending[first + BitOperations.TrailingZeroCount(drain)], 0);
                                }

                                summary.Return(first, giveBack);
                                Thread.SpinWait(pauses[step % pauses.Length]);
                            }

                            if (done && !any)
                            {
                                return received;
                            }

                            if (!any)
                            {
                                spin.Once();
                            }
                        }
                    },
                    "summary consumer");

                Task[] producing = [.. producers.Select((queues, p) => DedicatedThread.Run(
                    () =>
                    {
                        start.SignalAndWait();
                        for (int i = 0; i < queues.Length; i++)
                        {
                            int queue = queues[i] % capacity;
                            Interlocked.Increment(ref pending[queue]);
                            summary.Ring(queue);
                            Thread.SpinWait(pauses[(i + p) % pauses.Length]);
                        }

                        Interlocked.Decrement(ref producersLeft);
                    },
                    $"summary producer {p}"))];

                Assert.True(Task.WhenAll([.. producing, consumer]).Wait(Timeouts.Generous), "a producer or the consumer hung");
                Assert.Equal(published, consumer.Result);
                Assert.All(pending, count => Assert.Equal(0, count));
                Assert.False(summary.IsRung);
            },
            iter: 150,
            threads: 1);
    }

    private static ulong WordOf(SortedSet<int> rung, int first)
    {
        ulong word = 0;
        foreach (int queue in rung.GetViewBetween(first, first + 63))
        {
            word |= 1UL << (queue - first);
        }

        return word;
    }

    private static IEnumerable<int> QueuesOf(int first, ulong ready)
    {
        for (; ready != 0; ready &= ready - 1)
        {
            yield return first + BitOperations.TrailingZeroCount(ready);
        }
    }
}
