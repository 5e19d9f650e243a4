using Interlude.Ordering;

namespace Interlude;

/// <summary>
/// A mutual-exclusion lock for coroutines. A coroutine that has to wait is suspended and parked on its loop
/// (the loop's thread never blocks and keeps running other coroutines); on release the lock is handed to the
/// longest waiter, which resumes on its own loop. Strictly FIFO: nobody barges past a queued waiter.
/// </summary>
/// <remarks>
/// State: FREE, HELD, HELD_WITH_WAITERS. Acquiring a free lock and releasing a lock nobody waits for are one
/// compare-exchange each. The waiter queue and the HELD_WITH_WAITERS state are changed only under <c>_gate</c>;
/// a release with waiters hands ownership over without ever passing through FREE, which is what keeps the
/// order strict. Usable from loops and from ordinary threads alike; not reentrant.
/// </remarks>
public sealed class AsyncLock
{
    private const int Free = 0;
    private const int Held = 1;
    private const int HeldWithWaiters = 2;

    private readonly object _gate = new();

    // Any thread; see the remarks for which transitions need _gate.
    private int _state;

    // Guarded by _gate.
    private LockWaiter? _head;
    private LockWaiter? _tail;
    private int _waiting;

    /// <summary>Whether some coroutine holds the lock now.</summary>
    public bool IsHeld => Volatile.Read(ref _state) != Free;

    /// <summary>Coroutines waiting for the lock now.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _waiting;
            }
        }
    }

    /// <summary>Acquires the lock, waiting (suspended, not blocking) if it is held. Dispose the result to release.</summary>
    public ValueTask<Releaser> LockAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, Held, Free) == Free)
        {
            return new ValueTask<Releaser>(new Releaser(this));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<Releaser>(cancellationToken);
        }

        LockWaiter waiter;
        lock (_gate)
        {
            while (true)
            {
                int state = _state;
                if (state == Free && Interlocked.CompareExchange(ref _state, Held, Free) == Free)
                {
                    return new ValueTask<Releaser>(new Releaser(this));
                }

                if (state == HeldWithWaiters || (state == Held && Interlocked.CompareExchange(ref _state, HeldWithWaiters, Held) == Held))
                {
                    break;
                }
            }

            waiter = LockWaiter.Rent(this);
            Append(waiter);
        }

        waiter.RegisterCancellation(cancellationToken);
        return new ValueTask<Releaser>(waiter, waiter.Version);
    }

    /// <summary>Acquires the lock only if it is free now.</summary>
    public bool TryLock(out Releaser releaser)
    {
        if (Interlocked.CompareExchange(ref _state, Held, Free) == Free)
        {
            releaser = new Releaser(this);
            return true;
        }

        releaser = default;
        return false;
    }

    internal void Release()
    {
        if (Interlocked.CompareExchange(ref _state, Free, Held) == Held)
        {
            return;
        }

        LockWaiter next;
        lock (_gate)
        {
            if (_state == Free)
            {
                throw new SynchronizationLockException("The AsyncLock was released more often than it was acquired.");
            }

            // The waiter this release saw may have been cancelled and left since: then nobody takes over, and
            // the lock is free (it is Held, by this releaser, so no other thread moves _state meanwhile).
            if (_head is not { } head)
            {
                Volatile.Write(ref _state, Free);
                return;
            }

            next = head;
            Unlink(next);
            if (_head is null)
            {
                Volatile.Write(ref _state, Held);
            }
        }

        next.Grant(new Releaser(this));
    }

    /// <summary>A cancelled waiter leaves the queue; false if it had already been granted the lock.</summary>
    internal bool TryWithdraw(LockWaiter waiter)
    {
        lock (_gate)
        {
            if (!waiter.IsQueued)
            {
                return false;
            }

            Unlink(waiter);
            if (_head is null)
            {
                Volatile.Write(ref _state, Held);
            }

            return true;
        }
    }

    private void Append(LockWaiter waiter)
    {
        waiter.IsQueued = true;
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
        _waiting++;
    }

    private void Unlink(LockWaiter waiter)
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
        waiter.IsQueued = false;
        _waiting--;
    }

    /// <summary>Ownership of the lock; disposing it releases the lock (once).</summary>
    public readonly struct Releaser : IDisposable
    {
        private readonly AsyncLock? _owner;

        internal Releaser(AsyncLock owner) => _owner = owner;

        /// <summary>Releases the lock to the next waiter, if any.</summary>
        public void Dispose() => _owner?.Release();
    }
}
