using Interlude.Primitives;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class ReadinessSummaryTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1024)]
    [InlineData(ReadinessSummary.MaxQueues)]
    public void Takes_exactly_the_queues_that_were_rung(int capacity)
    {
        var summary = new ReadinessSummary(capacity);
        var random = new Random(capacity);
        var rung = new HashSet<int>();
        for (int i = 0; i < Math.Min(capacity, 200); i++)
        {
            int queue = random.Next(capacity);
            summary.Ring(queue);
            rung.Add(queue);
        }

        Assert.True(summary.IsRung);
        var taken = new HashSet<int>();
        while (summary.TryTake(out int first, out ulong ready))
        {
            for (; ready != 0; ready &= ready - 1)
            {
                Assert.True(taken.Add(first + System.Numerics.BitOperations.TrailingZeroCount(ready)));
            }
        }

        Assert.Equal(rung.OrderBy(q => q), taken.OrderBy(q => q));
        Assert.False(summary.IsRung);
        Assert.False(summary.TryTake(out _, out _));
    }

    [Fact]
    public void Returned_queues_are_taken_again()
    {
        var summary = new ReadinessSummary(256);
        summary.Ring(3);
        summary.Ring(200);
        Assert.True(summary.TryTake(out int first, out ulong ready));
        summary.Return(first, ready);
        var taken = new List<int>();
        while (summary.TryTake(out first, out ready))
        {
            for (; ready != 0; ready &= ready - 1)
            {
                taken.Add(first + System.Numerics.BitOperations.TrailingZeroCount(ready));
            }
        }

        Assert.Equal([3, 200], taken.Order());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ReadinessSummary.MaxQueues + 1)]
    public void Rejects_capacities_outside_its_range(int capacity)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new ReadinessSummary(capacity));

    [Fact]
    public void Rejects_a_queue_outside_its_capacity()
    {
        var summary = new ReadinessSummary(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => summary.Ring(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => summary.Ring(-1));
    }

    /// <summary>
    /// Producers publish counted items into their own queues and ring; the consumer drains only what the summary
    /// says is ready and, whenever it finds nothing, sleeps the way a loop does (announce, re-check, wait for a
    /// producer's wake). A lost ring leaves an item undrained and the consumer asleep, and the test fails by its
    /// guard instead of finishing.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 16)]
    [InlineData(2, 1024)]
    public async Task Never_loses_a_ring_under_concurrent_producers(int producers, int queues)
    {
        const int ItemsPerProducer = 20_000;
        var summary = new ReadinessSummary(queues);
        var pending = new long[queues];
        var armed = 0;
        using var wake = new SemaphoreSlim(0);

        var consumer = Task.Run(() =>
        {
            long received = 0;
            long expected = (long)producers * ItemsPerProducer;
            while (received < expected)
            {
                bool any = false;
                while (summary.TryTake(out int first, out ulong ready))
                {
                    for (; ready != 0; ready &= ready - 1)
                    {
                        int queue = first + System.Numerics.BitOperations.TrailingZeroCount(ready);
                        received += Interlocked.Exchange(ref pending[queue], 0);
                        any = true;
                    }
                }

                if (any)
                {
                    continue;
                }

                // Arm, then look again: a ring that raced with the arm is seen here or wakes us.
                Volatile.Write(ref armed, 1);
                Interlocked.MemoryBarrier();
                if (summary.IsRung)
                {
                    Volatile.Write(ref armed, 0);
                    continue;
                }

                Assert.True(wake.Wait(Timeouts.Generous), "a ring was lost: the consumer slept with items pending");
            }

            return received;
        });

        var tasks = new Task[producers];
        for (int p = 0; p < producers; p++)
        {
            int seed = p;
            tasks[p] = Task.Run(() =>
            {
                var random = new Random(seed);
                for (int i = 0; i < ItemsPerProducer; i++)
                {
                    int queue = random.Next(queues);
                    Interlocked.Increment(ref pending[queue]);
                    summary.Ring(queue);
                    if (Volatile.Read(ref armed) == 1 && Interlocked.CompareExchange(ref armed, 0, 1) == 1)
                    {
                        wake.Release();
                    }

                    if ((i & 255) == 0)
                    {
                        Thread.Yield();
                    }
                }
            });
        }

        await Task.WhenAll(tasks).Guarded();
        Assert.Equal((long)producers * ItemsPerProducer, await consumer.Guarded());
        Assert.All(pending, count => Assert.Equal(0, count));
    }
}
