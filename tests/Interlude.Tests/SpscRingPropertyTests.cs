using CsCheck;
using Interlude.Primitives;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// Properties of <see cref="SpscRing{T}"/> over generated inputs (CsCheck: a failure prints the seed that
/// regenerates its input, shrunk to the smallest found).
/// </summary>
public sealed class SpscRingPropertyTests
{
    /// <summary>Any sequence of enqueues and dequeues on one thread behaves like a bounded FIFO of (item, stamp).</summary>
    [Fact]
    public void AnySequenceOfEnqueuesAndDequeuesBehavesLikeABoundedQueue()
    {
        Gen.Select(Gen.Int[1, 5], Gen.Int[0, 2].Array[1, 300]).Sample(
            (capacityBits, operations) =>
            {
                var ring = new SpscRing<object>(1 << capacityBits);
                var model = new Queue<(object Item, long Stamp)>();
                long next = 0;
                foreach (int operation in operations)
                {
                    if (operation < 2)
                    {
                        object item = new();
                        long stamp = StampOf(next++);
                        bool taken = ring.TryEnqueue(item, stamp);
                        Assert.Equal(model.Count < ring.Capacity, taken);
                        if (taken)
                        {
                            model.Enqueue((item, stamp));
                        }
                    }
                    else
                    {
                        Assert.Equal(model.Count > 0, ring.ConsumerHasItems());
                        bool got = ring.TryDequeue(out object? item, out long stamp);
                        Assert.Equal(model.Count > 0, got);
                        if (got)
                        {
                            (object expectedItem, long expectedStamp) = model.Dequeue();
                            Assert.Same(expectedItem, item);
                            Assert.Equal(expectedStamp, stamp);
                        }
                    }
                }
            },
            iter: 2_000,
            threads: 1);
    }

    /// <summary>
    /// A producer thread and a consumer thread, each pausing by a generated pattern so that every interleaving of
    /// full, empty and in-between rings turns up: the consumer receives every item exactly once, in order, with
    /// the stamp it was enqueued with, and the ring ends empty.
    /// </summary>
    [Fact]
    public void AProducerAndAConsumerThreadPassEveryItemOnceInOrderWithItsStamp()
    {
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 2_000], Gen.Int[0, 40].Array[1, 12], Gen.Int[0, 40].Array[1, 12]).Sample(
            (capacityBits, count, producerPauses, consumerPauses) =>
            {
                var ring = new SpscRing<object>(1 << capacityBits);
                object[] items = new object[count];
                for (int i = 0; i < count; i++)
                {
                    items[i] = new object();
                }

                using var start = new Barrier(2);
                Task producer = DedicatedThread.Run(
                    () =>
                    {
                        start.SignalAndWait();
                        var spin = new BoundedSpin("the consumer frees a slot");
                        for (int i = 0; i < count; i++)
                        {
                            Thread.SpinWait(producerPauses[i % producerPauses.Length]);
                            while (!ring.TryEnqueue(items[i], StampOf(i)))
                            {
                                spin.Once();
                            }

                            spin.Reset();
                        }
                    },
                    "ring producer");
                Task<string?> consumer = DedicatedThread.Run(
                    () =>
                    {
                        start.SignalAndWait();
                        var spin = new BoundedSpin("the producer publishes an item");
                        for (int i = 0; i < count; i++)
                        {
                            Thread.SpinWait(consumerPauses[i % consumerPauses.Length]);
                            object? item;
                            long stamp;
                            while (!ring.TryDequeue(out item, out stamp))
                            {
                                spin.Once();
                            }

                            spin.Reset();
                            if (!ReferenceEquals(items[i], item))
                            {
                                return $"item {i} was not the one enqueued {i}th";
                            }

                            if (stamp != StampOf(i))
                            {
                                return $"item {i} came with stamp {stamp}, not {StampOf(i)}";
                            }
                        }

                        return null;
                    },
                    "ring consumer");

                Assert.True(Task.WhenAll(producer, consumer).Wait(Timeouts.Generous), "the producer or the consumer hung");
                Assert.Null(consumer.Result);
                Assert.False(ring.ConsumerHasItems());
                Assert.False(ring.TryDequeue(out _));
            },
            iter: 150,
            threads: 1);
    }

    private static long StampOf(long sequence) => (sequence * 7919) + 13;
}
