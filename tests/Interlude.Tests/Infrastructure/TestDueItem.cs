using Interlude.Primitives;

namespace Interlude.Tests.Infrastructure;

/// <summary>A bare heap entry for exercising <see cref="DueHeap{T}"/> on its own.</summary>
internal sealed class TestDueItem : IDueItem
{
    public TestDueItem(int id, long dueTicks)
    {
        Id = id;
        DueTicks = dueTicks;
    }

    public int Id { get; }

    public long DueTicks { get; }

    public int HeapIndex { get; set; } = -1;
}
