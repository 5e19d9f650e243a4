namespace Interlude.Primitives;

/// <summary>An entry of a <see cref="DueHeap{T}"/>: ordered by due time, knows its own heap position.</summary>
internal interface IDueItem
{
    long DueTicks { get; }

    /// <summary>Position in the heap; -1 when not in one.</summary>
    int HeapIndex { get; set; }
}
