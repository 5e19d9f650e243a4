namespace Interlude.Primitives;

/// <summary>
/// Binary min-heap by due time with O(log n) removal of any entry. Single-threaded: each user (a loop's
/// timers, a simulated device worker) owns its heap.
/// </summary>
internal sealed class DueHeap<T>
    where T : class, IDueItem
{
    private T[] _items;
    private int _count;

    internal DueHeap(int initialCapacity = 16) => _items = new T[Math.Max(1, initialCapacity)];

    internal int Count => _count;

    /// <summary>The earliest entry's due time, or long.MaxValue when empty.</summary>
    internal long NextDueTicks => _count == 0 ? long.MaxValue : _items[0].DueTicks;

    internal T Peek() => _items[0];

    internal void Push(T item)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_count] = item;
        item.HeapIndex = _count;
        _count++;
        SiftUp(_count - 1);
    }

    internal T Pop()
    {
        T top = _items[0];
        RemoveAt(0);
        return top;
    }

    internal void Remove(T item)
    {
        if (item.HeapIndex >= 0 && item.HeapIndex < _count && ReferenceEquals(_items[item.HeapIndex], item))
        {
            RemoveAt(item.HeapIndex);
        }
    }

    private void RemoveAt(int index)
    {
        T removed = _items[index];
        removed.HeapIndex = -1;
        _count--;
        if (index != _count)
        {
            _items[index] = _items[_count];
            _items[index].HeapIndex = index;
            _items[_count] = null!;
            SiftDown(index);
            SiftUp(index);
        }
        else
        {
            _items[_count] = null!;
        }
    }

    private void SiftUp(int index)
    {
        while (index > 0)
        {
            int parent = (index - 1) / 2;
            if (_items[parent].DueTicks <= _items[index].DueTicks)
            {
                break;
            }

            Swap(index, parent);
            index = parent;
        }
    }

    private void SiftDown(int index)
    {
        while (true)
        {
            int left = (2 * index) + 1;
            if (left >= _count)
            {
                return;
            }

            int smallest = left + 1 < _count && _items[left + 1].DueTicks < _items[left].DueTicks ? left + 1 : left;
            if (_items[index].DueTicks <= _items[smallest].DueTicks)
            {
                return;
            }

            Swap(index, smallest);
            index = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (_items[a], _items[b]) = (_items[b], _items[a]);
        _items[a].HeapIndex = a;
        _items[b].HeapIndex = b;
    }
}
