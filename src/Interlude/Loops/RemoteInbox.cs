using System.Collections.Concurrent;
using Interlude.Waiting;

namespace Interlude.Loops;

/// <summary>
/// Work posted to a loop from other threads. Any thread enqueues; only the owner dequeues.
/// A post makes the wake syscall only when the owner is asleep (see <see cref="Parker"/>).
/// </summary>
internal sealed class RemoteInbox
{
    private readonly ConcurrentQueue<WorkItem> _queue = new();
    private readonly Parker _parker;

    internal RemoteInbox(Parker parker) => _parker = parker;

    internal bool IsEmpty => _queue.IsEmpty;

    /// <summary>Any thread: items waiting (a snapshot, for diagnostics; not cheap).</summary>
    internal int Count => _queue.Count;

    /// <summary>Any thread.</summary>
    internal void Post(in WorkItem item)
    {
        _queue.Enqueue(item);

        // The item must be visible before we read the parker's state (store-load), or a loop that is just
        // preparing to sleep could miss both the item and the wake.
        Interlocked.MemoryBarrier();
        _parker.UnparkIfParked();
    }

    /// <summary>Owner only.</summary>
    internal bool TryDequeue(out WorkItem item) => _queue.TryDequeue(out item);
}
