namespace Interlude.Ordering;

/// <summary>
/// A FIFO of <see cref="DispatchWaiter{TKey, TEvent}"/>s linked through the waiters themselves, so joining and
/// leaving allocate nothing and a cancelled waiter leaves from the middle in constant time. Owner loop only.
/// </summary>
internal sealed class DispatchWaiterList<TKey, TEvent>
    where TKey : notnull
{
    private DispatchWaiter<TKey, TEvent>? _head;
    private DispatchWaiter<TKey, TEvent>? _tail;

    internal bool IsEmpty => _head is null;

    internal void Enqueue(DispatchWaiter<TKey, TEvent> waiter)
    {
        waiter.List = this;
        waiter.Previous = _tail;
        waiter.Next = null;
        if (_tail is null)
        {
            _head = waiter;
        }
        else
        {
            _tail.Next = waiter;
        }

        _tail = waiter;
    }

    internal bool TryDequeue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DispatchWaiter<TKey, TEvent>? waiter)
    {
        waiter = _head;
        if (waiter is null)
        {
            return false;
        }

        Remove(waiter);
        return true;
    }

    internal void Remove(DispatchWaiter<TKey, TEvent> waiter)
    {
        if (waiter.Previous is null)
        {
            _head = waiter.Next;
        }
        else
        {
            waiter.Previous.Next = waiter.Next;
        }

        if (waiter.Next is null)
        {
            _tail = waiter.Previous;
        }
        else
        {
            waiter.Next.Previous = waiter.Previous;
        }

        waiter.Previous = null;
        waiter.Next = null;
        waiter.List = null;
    }
}
