namespace Interlude.Loops;

/// <summary>
/// The loop's local FIFO of ready work. Owner thread only: no lock, no atomics. Grows by doubling (the only
/// allocation, and none once it has reached the loop's working size).
/// </summary>
internal sealed class RunQueue
{
    private WorkItem[] _items;
    private int _head;
    private int _count;

    internal RunQueue(int initialCapacity)
    {
        int capacity = 16;
        while (capacity < initialCapacity)
        {
            capacity <<= 1;
        }

        _items = new WorkItem[capacity];
    }

    internal int Count => _count;

    internal void Enqueue(in WorkItem item)
    {
        if (_count == _items.Length)
        {
            Grow();
        }

        _items[(_head + _count) & (_items.Length - 1)] = item;
        _count++;
    }

    internal bool TryDequeue(out WorkItem item)
    {
        if (_count == 0)
        {
            item = default;
            return false;
        }

        item = _items[_head];
        _items[_head] = default;
        _head = (_head + 1) & (_items.Length - 1);
        _count--;
        return true;
    }

    private void Grow()
    {
        var larger = new WorkItem[_items.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            larger[i] = _items[(_head + i) & (_items.Length - 1)];
        }

        _items = larger;
        _head = 0;
    }
}
