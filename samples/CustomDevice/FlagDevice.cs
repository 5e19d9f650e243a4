using System.Diagnostics;
using Interlude;

namespace CustomDevice;

/// <summary>
/// A device written only against Interlude's public API, in the shape of a GPU or a NIC: a device thread takes
/// commands from each loop's queue, "executes" each for its service time, and completes them by writing a count
/// into host memory. Nothing calls back into the loop: the loop finds completions by polling that word (its
/// <see cref="FlagQueue"/> is an <see cref="ILoopPoller"/>), and only a loop that sleeps armed is woken.
/// </summary>
/// <remarks>
/// Each loop gets its own queue on its first submission, added to the loop as a poller; the device serves every
/// queue from one thread. Submissions must come from a loop's thread. Thread rules: <c>_cursors</c> is replaced
/// under <c>_gate</c> (copy on write) by loops that attach or leave and read without a lock by the device thread;
/// <c>_sleeping</c> is written by the device thread and read by submitters after their full fence; the rest of
/// the device's state belongs to the device thread.
/// </remarks>
public sealed class FlagDevice : IDisposable
{
    [ThreadStatic]
    private static (FlagDevice? Device, FlagQueue? Queue) t_lastQueue;

    private readonly FlagDeviceOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<Loop, FlagQueue> _queues = [];
    private readonly List<FlagQueue> _retired = [];
    private readonly FastWakeEvent _bell = new();
    private readonly Thread _thread;
    private readonly long _idleSpinTicks;
    private QueueCursor[] _cursors = [];
    private int _sleeping;
    private volatile bool _stopping;

    // Written under _gate by a loop that retires a queue; read by the device thread each pass without the lock.
    private volatile bool _hasRetired;

    /// <summary>Creates the device and starts its thread.</summary>
    /// <exception cref="ArgumentException">An option is out of range (the exception names it).</exception>
    public FlagDevice(FlagDeviceOptions? options = null)
    {
        _options = options ?? new FlagDeviceOptions();
        _options.Validate();
        _idleSpinTicks = _options.IdleSpin == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : (long)(_options.IdleSpin.TotalSeconds * Stopwatch.Frequency);
        _thread = new Thread(Run) { IsBackground = true, Name = "flag-device" };
        _thread.Start();
    }

    /// <summary>
    /// Holds the device for <paramref name="serviceTime"/> and completes when the device reports it done. Call it
    /// on a loop; the awaiting coroutine resumes inline on that loop.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not called on a loop's thread.</exception>
    /// <exception cref="ObjectDisposedException">The device has been disposed.</exception>
    public ValueTask SubmitAsync(TimeSpan serviceTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(serviceTime, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(_stopping, this);
        long ticks = (long)(serviceTime.TotalSeconds * Stopwatch.Frequency);
        return QueueOfCurrentLoop().Submit(ticks);
    }

    /// <summary>Stops the device thread; whatever is still in flight fails with <see cref="ObjectDisposedException"/> on its loop.</summary>
    public void Dispose()
    {
        FlagQueue[] queues;
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            queues = [.. _queues.Values];
        }

        _bell.Set();
        _thread.Join();

        // Each loop fails its own operations and lets go of its queue (OnRemoved, then Forget).
        foreach (FlagQueue queue in queues)
        {
            queue.Loop.RemovePoller(queue);
        }
    }

    /// <summary>Loop thread, after publishing a command: wakes the device thread if it sleeps.</summary>
    internal void Doorbell()
    {
        // Store-load: the device about to sleep either sees the command or is seen asleep here.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) != 0)
        {
            _bell.Set();
        }
    }

    /// <summary>Loop thread, from the queue's <see cref="FlagQueue.OnRemoved"/>: the device stops serving the queue.</summary>
    internal void Forget(FlagQueue queue)
    {
        lock (_gate)
        {
            _queues.Remove(queue.Loop);
            _cursors = Array.FindAll(_cursors, c => c.Queue != queue);
            if (_stopping && !_thread.IsAlive)
            {
                queue.FreeHostMemory();
            }
            else
            {
                // The device thread may be reading it this very moment: it frees it at the start of its next pass.
                _retired.Add(queue);
                _hasRetired = true;
            }
        }

        if (t_lastQueue.Queue == queue)
        {
            t_lastQueue = default;
        }

        _bell.Set();
    }

    private FlagQueue QueueOfCurrentLoop()
    {
        (FlagDevice? device, FlagQueue? queue) = t_lastQueue;
        if (device == this && queue is not null)
        {
            return queue;
        }

        Loop loop = Loop.Current ?? throw new InvalidOperationException("Submit to a FlagDevice from a loop's thread.");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (!_queues.TryGetValue(loop, out queue))
            {
                queue = new FlagQueue(this, loop, _options.QueueCapacity);
                _queues.Add(loop, queue);
                _cursors = [.. _cursors, queue.Cursor];
                loop.AddPoller(queue);
            }
        }

        t_lastQueue = (this, queue);
        return queue;
    }

    private void Run()
    {
        if (_options.Core is int core)
        {
            CpuAffinity.TryPinCurrentThread(core);
        }

        long lastWork = Stopwatch.GetTimestamp();
        while (!_stopping)
        {
            FreeRetired();
            long now = Stopwatch.GetTimestamp();
            bool worked = false;
            long inService = 0;
            foreach (QueueCursor cursor in Volatile.Read(ref _cursors))
            {
                worked |= cursor.Advance(now);
                inService += cursor.InService;
            }

            if (worked)
            {
                lastWork = now;
            }
            else if (inService == 0 && now - lastWork >= _idleSpinTicks)
            {
                Sleep();
                lastWork = Stopwatch.GetTimestamp();
            }
            else
            {
                Thread.SpinWait(1);
            }
        }

        FreeRetired();
    }

    private void Sleep()
    {
        Interlocked.Exchange(ref _sleeping, 1);
        bool pending = _stopping;
        foreach (QueueCursor cursor in Volatile.Read(ref _cursors))
        {
            pending |= cursor.HasSubmissions;
        }

        if (!pending)
        {
            _bell.Wait();
        }

        Volatile.Write(ref _sleeping, 0);
    }

    private void FreeRetired()
    {
        if (!_hasRetired)
        {
            return;
        }

        lock (_gate)
        {
            foreach (FlagQueue queue in _retired)
            {
                queue.FreeHostMemory();
            }

            _retired.Clear();
            _hasRetired = false;
        }
    }
}
