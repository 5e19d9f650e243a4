using Interlude.Primitives;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class DueHeapTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EntriesPopInDueOrderUnderRandomInsertsAndRemovals(int seed)
    {
        var random = new Random(seed);
        var heap = new DueHeap<TestDueItem>(initialCapacity: 2);
        var present = new List<TestDueItem>();
        int nextId = 0;

        for (int step = 0; step < 20_000; step++)
        {
            int action = random.Next(10);
            if (action < 6 || present.Count == 0)
            {
                var item = new TestDueItem(nextId++, random.Next(0, 500));
                heap.Push(item);
                present.Add(item);
            }
            else if (action < 8)
            {
                TestDueItem victim = present[random.Next(present.Count)];
                heap.Remove(victim);
                present.Remove(victim);
                Assert.Equal(-1, victim.HeapIndex);
            }
            else
            {
                long earliest = present.Min(i => i.DueTicks);
                Assert.Equal(earliest, heap.NextDueTicks);
                TestDueItem popped = heap.Pop();
                Assert.Equal(earliest, popped.DueTicks);
                Assert.True(present.Remove(popped));
                Assert.Equal(-1, popped.HeapIndex);
            }

            Assert.Equal(present.Count, heap.Count);
        }

        long previous = long.MinValue;
        while (heap.Count > 0)
        {
            TestDueItem popped = heap.Pop();
            Assert.True(popped.DueTicks >= previous, "popped out of due order");
            Assert.True(present.Remove(popped));
            previous = popped.DueTicks;
        }

        Assert.Empty(present);
        Assert.Equal(long.MaxValue, heap.NextDueTicks);
    }

    [Fact]
    public void RemovingAnEntryThatIsNotQueuedChangesNothing()
    {
        var heap = new DueHeap<TestDueItem>();
        var queued = new TestDueItem(1, 10);
        var stranger = new TestDueItem(2, 5);
        heap.Push(queued);

        heap.Remove(stranger);
        stranger.HeapIndex = 0;
        heap.Remove(stranger);

        Assert.Equal(1, heap.Count);
        Assert.Same(queued, heap.Peek());
        Assert.Equal(10, heap.NextDueTicks);
    }
}
