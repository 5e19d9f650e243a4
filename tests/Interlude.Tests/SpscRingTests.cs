using Interlude.Primitives;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class SpscRingTests
{
    [Fact]
    public async Task AConcurrentProducerAndConsumerPassEveryItemOnceInOrder()
    {
        const int count = 1_000_000;
        var ring = new SpscRing<object>(64);
        object[] items = Enumerable.Range(0, 4096).Select(i => (object)i).ToArray();

        Task producer = Task.Factory.StartNew(
            () =>
            {
                var spin = new BoundedSpin("the consumer frees a slot");
                for (int i = 0; i < count; i++)
                {
                    while (!ring.TryEnqueue(items[i % items.Length]))
                    {
                        spin.Once();
                    }

                    spin.Reset();
                }
            },
            TaskCreationOptions.LongRunning);
        Task<int> consumer = Task.Factory.StartNew(
            () =>
            {
                var spin = new BoundedSpin("the producer publishes an item");
                for (int i = 0; i < count; i++)
                {
                    object? item;
                    while (!ring.TryDequeue(out item))
                    {
                        spin.Once();
                    }

                    spin.Reset();
                    if (!ReferenceEquals(items[i % items.Length], item))
                    {
                        return i;
                    }
                }

                return -1;
            },
            TaskCreationOptions.LongRunning);

        int firstWrong = await consumer.Guarded();
        await producer.Guarded();

        Assert.Equal(-1, firstWrong);
        Assert.False(ring.ConsumerHasItems());
        Assert.False(ring.TryDequeue(out _));
    }

    [Fact]
    public void AFullRingRefusesItemsUntilOneIsTaken()
    {
        var ring = new SpscRing<string>(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryEnqueue($"item {i}"));
        }

        Assert.False(ring.TryEnqueue("one too many"));
        Assert.True(ring.TryDequeue(out string? first));
        Assert.Equal("item 0", first);
        Assert.True(ring.TryEnqueue("item 4"));
        Assert.True(ring.ConsumerHasItems());

        var rest = new List<string>();
        while (ring.TryDequeue(out string? item))
        {
            rest.Add(item);
        }

        Assert.Equal(["item 1", "item 2", "item 3", "item 4"], rest);
        Assert.False(ring.ConsumerHasItems());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public void CapacityMustBeAPowerOfTwoOfAtLeastTwo(int capacity)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new SpscRing<string>(capacity));
        Assert.Equal("capacity", error.ParamName);
    }
}
