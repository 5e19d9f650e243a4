using System.Diagnostics;
using System.Numerics;
using Interlude.BlockingThreads;
using Interlude.Native;
using Interlude.Offload;
using Interlude.Primitives;
using Interlude.Waiting;

namespace Interlude;

/// <summary>
/// Fast completion wake-ups for blocking code: threads pinned to one core offload through the dispatcher and
/// block; the dispatcher thread, on the same core, polls their completions and wakes each owner there, where the
/// woken thread preempts it at once.
/// </summary>
/// <remarks>
/// <para>
/// A device thread that completes an operation writes the outcome into the operation, rings its owner's bit in
/// the dispatcher's doorbell bitmap, and wakes the dispatcher only if it sleeps. The dispatcher takes the rung
/// bits (its cost follows the number of ready owners, not of owners), wakes each owner with a same-core futex
/// wake, and gets out of the way: it runs under <c>SCHED_IDLE</c>, so the woken thread, at normal priority,
/// preempts it at once (a user-space <c>switch_to</c>). Where <c>SCHED_IDLE</c> is refused it calls
/// <c>sched_yield</c> after each wake instead (<see cref="RunsAtIdlePriority"/>).
/// </para>
/// <para>
/// While at least one owner waits the dispatcher polls, for up to <see cref="CompletionDispatcherOptions.PollWindow"/>:
/// the core never idles, so a completion costs a cache-line transfer and a same-core wake instead of an
/// interrupt to an idle core. With no owner waiting it sleeps; an owner that starts an offload wakes it.
/// </para>
/// <para>
/// A dispatcher runs only when its core has nothing else to run. Where normal-priority threads keep the core
/// busy it may be starved, so a blocked owner also looks for its completion on its own every 4 milliseconds: a
/// completion is never delayed much longer than that. Before it sleeps at all, an owner watches its operation for
/// <see cref="CompletionDispatcherOptions.OwnerSpin"/>.
/// While the dispatcher sleeps, the device wakes the owner directly (one cross-core wake, as without a dispatcher).
/// </para>
/// <para>
/// Blocking offloads go through the accelerator's off-loop queue, shared with other off-loop submitters and
/// bounded by <see cref="Accelerator.RingCapacity"/>. Calling from a loop thread is refused: a loop thread must
/// never block. Owners register on their first offload (at most <see cref="CompletionDispatcherOptions.MaxOwners"/>);
/// a thread that alternates between several dispatchers pays a short locked lookup at each switch.
/// </para>
/// </remarks>
public sealed class CompletionDispatcher : IDisposable
{
    [ThreadStatic]
    private static OwnerSlot? t_lastSlot;

    private readonly object _gate = new();
    private readonly CompletionDispatcherOptions _options;
    // One bit per owner: rung by device threads (ReadinessSummary's own rules), taken by the dispatcher thread.
    private readonly ReadinessSummary _summary;
    private readonly long _pollWindowTicks;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _started = new(false);

    // The dispatcher's wake word: slept on by the dispatcher thread; unparked by owners starting an offload, by
    // device threads after ringing (only if parked) and by Dispose.
    private readonly Parker _parker = new();

    // Indexed by queue. Written (once per registration or reuse of a slot) under _gate; read without a lock by
    // the dispatcher thread and by Dispose.
    private readonly OwnerSlot?[] _slots;

    // Owners with an offload outstanding: owners increment and decrement it, the dispatcher reads it to decide
    // whether to keep polling. Alone on its line, away from the device-written doorbell.
    private PaddedInt32 _waiting;

    // Under _gate: slots handed out so far.
    private int _registered;

    // Written once, by Dispose (under _gate), before it wakes the owners; read by owners before they sleep.
    private volatile bool _disposed;

    // Written once by Dispose; read by the dispatcher thread.
    private volatile bool _stopRequested;

    /// <summary>Creates the dispatcher and starts its thread.</summary>
    /// <exception cref="ArgumentException">An option is out of range, or names a core this process may not use.</exception>
    public CompletionDispatcher(CompletionDispatcherOptions? options = null)
    {
        _options = options ?? new CompletionDispatcherOptions();
        _options.Validate();
        Core = _options.Core ?? CpuAffinity.AllowedCores()[0];
        MaxOwners = _options.MaxOwners;
        OwnerSpinTicks = (long)(_options.OwnerSpin.TotalSeconds * Stopwatch.Frequency);
        _pollWindowTicks = _options.PollWindow == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : (long)(_options.PollWindow.TotalSeconds * Stopwatch.Frequency);
        _summary = new ReadinessSummary(MaxOwners);
        _slots = new OwnerSlot?[MaxOwners];
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = $"interlude-dispatcher-{Core}",
        };
        _thread.Start();
        _started.Wait();
    }

    /// <summary>The core the dispatcher runs on.</summary>
    public int Core { get; }

    /// <summary>The most threads that may offload through this dispatcher.</summary>
    public int MaxOwners { get; }

    // IsPinned, RunsAtIdlePriority and OsThreadId are written by the dispatcher thread before it signals
    // _started, and read by any thread after the constructor has waited for that signal.

    /// <summary>Whether the dispatcher thread is pinned to <see cref="Core"/> (false off Linux or if refused).</summary>
    public bool IsPinned { get; private set; }

    /// <summary>
    /// Whether the dispatcher thread runs under <c>SCHED_IDLE</c>, so a woken owner preempts it at once; false
    /// when it was not asked for, off Linux, or refused, and the dispatcher then yields after each wake.
    /// </summary>
    public bool RunsAtIdlePriority { get; private set; }

    /// <summary>The dispatcher thread's Linux thread id (0 off Linux), for reading its CPU time.</summary>
    internal int OsThreadId { get; private set; }

    /// <summary>How long an owner watches for its completion before it sleeps, in Stopwatch ticks.</summary>
    internal long OwnerSpinTicks { get; }

    /// <summary>Threads that have registered so far (slots handed out). Any thread.</summary>
    internal int RegisteredOwners
    {
        get
        {
            lock (_gate)
            {
                return _registered;
            }
        }
    }

    /// <summary>Owners with an offload outstanding now. Any thread.</summary>
    internal int WaitingOwners => Volatile.Read(ref _waiting.Value);

    /// <summary>Whether <see cref="Dispose"/> has run. Any thread.</summary>
    internal bool IsDisposed => _disposed;

    /// <summary>
    /// Runs <paramref name="work"/> on <paramref name="accelerator"/> and blocks the calling thread until it is
    /// done; the dispatcher wakes the thread on this core when the device completes it.
    /// </summary>
    /// <returns>The work function's result.</returns>
    /// <exception cref="InvalidOperationException">Called on a loop thread, or more than <see cref="MaxOwners"/> threads offload through this dispatcher.</exception>
    /// <exception cref="ObjectDisposedException">The dispatcher or the accelerator is disposed (also while the operation is in flight).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the operation completed.</exception>
    /// <remarks>The work function's exception, or the device's error, is thrown from here.</remarks>
    public TResult Offload<TState, TResult>(Accelerator accelerator, Func<TState, TResult> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(work);
        return SlotForCurrentThread().Offload(accelerator, work, state, cancellationToken);
    }

    /// <summary>
    /// An offload without a work function (it takes only the device's own time) that blocks the calling thread
    /// until the device completes it; the dispatcher wakes the thread on this core.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on a loop thread, or more than <see cref="MaxOwners"/> threads offload through this dispatcher.</exception>
    /// <exception cref="ObjectDisposedException">The dispatcher or the accelerator is disposed (also while the operation is in flight).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the operation completed.</exception>
    public void Offload(Accelerator accelerator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        SlotForCurrentThread().Offload<byte, byte>(accelerator, null, 0, cancellationToken);
    }

    /// <summary>
    /// Stops the dispatcher thread. Threads blocked in <see cref="Offload{TState, TResult}"/> fail with
    /// <see cref="ObjectDisposedException"/>, and later calls are refused the same way.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stopRequested = true;
        _parker.Unpark();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        // _disposed was written (a full fence under the lock) before these wakes: an owner that sleeps after it
        // re-checked sees it, one that sleeps before it is woken here.
        foreach (OwnerSlot? slot in _slots)
        {
            slot?.Parker.Unpark();
        }

        _started.Dispose();
    }

    /// <summary>Owner, before submitting: counts it as waiting and makes sure the dispatcher polls.</summary>
    internal void OwnerStartsWaiting()
    {
        Interlocked.Increment(ref _waiting.Value);

        // Unconditional, not "if parked": a dispatcher deciding to sleep right now must not miss this owner.
        // Same core: the dispatcher, at idle priority, runs only once this owner blocks.
        _parker.Unpark();
    }

    /// <summary>Owner, when its offload has returned or thrown.</summary>
    internal void OwnerStopsWaiting() => Interlocked.Decrement(ref _waiting.Value);

    /// <summary>Device thread (or whoever fails the device's queue): <paramref name="owner"/>'s operation is done.</summary>
    internal void Deliver(OwnerSlot owner)
    {
        if (_parker.IsParked)
        {
            // The dispatcher sleeps (no owner was waiting for a while): one direct wake of the owner costs less
            // than waking the dispatcher to wake the owner.
            owner.Parker.Unpark();
            return;
        }

        // Ring is a full fence, so the parked check below cannot be read before the bit is set: a dispatcher
        // that went to sleep after the check above either sees the bit when it re-checks or is woken here.
        _summary.Ring(owner.Index);
        _parker.UnparkIfParked();
    }

    private OwnerSlot SlotForCurrentThread()
    {
        OwnerSlot? slot = t_lastSlot;
        if (slot is not null && ReferenceEquals(slot.Dispatcher, this))
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return slot;
        }

        return Register();
    }

    private OwnerSlot Register()
    {
        if (Loop.Current is not null)
        {
            throw new InvalidOperationException(
                "CompletionDispatcher.Offload blocks its thread, and a loop thread must never block; await the accelerator's SubmitAsync on loops instead.");
        }

        Thread current = Thread.CurrentThread;
        OwnerSlot? slot = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (int i = 0; i < _registered && slot is null; i++)
            {
                if (_slots[i]!.Thread == current)
                {
                    slot = _slots[i];
                }
            }

            if (slot is null && _registered < MaxOwners)
            {
                slot = new OwnerSlot(this, _registered, current);
                Volatile.Write(ref _slots[_registered], slot);
                _registered++;
            }

            for (int i = 0; i < _registered && slot is null; i++)
            {
                if (!_slots[i]!.Thread.IsAlive)
                {
                    // Its thread has ended, so it has nothing outstanding; a stale wake left on it is absorbed by
                    // the new owner's re-check.
                    slot = _slots[i];
                    slot!.Thread = current;
                }
            }
        }

        if (slot is null)
        {
            throw new InvalidOperationException(
                $"The CompletionDispatcher on core {Core} already serves {MaxOwners} live threads (CompletionDispatcherOptions.MaxOwners); "
                + "offload from fewer threads or raise the limit.");
        }

        if (_options.PinOwners)
        {
            CpuAffinity.TryPinCurrentThread(Core);
        }

        t_lastSlot = slot;
        return slot;
    }

    private void Run()
    {
        IsPinned = CpuAffinity.TryPinCurrentThread(Core);
        RunsAtIdlePriority = _options.UseIdlePriority && TryEnterIdlePriority();
        OsThreadId = OperatingSystem.IsLinux() ? LinuxNative.gettid() : 0;
        _started.Set();

        long lastActive = Stopwatch.GetTimestamp();
        while (!_stopRequested)
        {
            if (WakeReadyOwners())
            {
                lastActive = Stopwatch.GetTimestamp();
                continue;
            }

            if (Volatile.Read(ref _waiting.Value) > 0 && Stopwatch.GetTimestamp() - lastActive < _pollWindowTicks)
            {
                if (RunsAtIdlePriority)
                {
                    Thread.SpinWait(1);
                }
                else
                {
                    // At normal priority, polling would take the core from the owners it serves.
                    Thread.Yield();
                }

                continue;
            }

            Sleep();
            lastActive = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Dispatcher thread: wakes the owner of every rung queue. Returns whether any was rung.</summary>
    private bool WakeReadyOwners()
    {
        bool any = false;
        while (_summary.TryTake(out int firstQueue, out ulong ready))
        {
            any = true;
            while (ready != 0)
            {
                int queue = firstQueue + BitOperations.TrailingZeroCount(ready);
                ready &= ready - 1;

                // At idle priority the owner preempts this thread inside this call (same core, normal priority);
                // the rest of the word waits until the core has nothing better to run.
                Volatile.Read(ref _slots[queue])?.Parker.Unpark();
                if (!RunsAtIdlePriority)
                {
                    Thread.Yield();
                }
            }
        }

        return any;
    }

    private void Sleep()
    {
        if (!_parker.TryPrepare())
        {
            return;
        }

        if (_stopRequested || _summary.IsRung)
        {
            _parker.Cancel();
            return;
        }

        _parker.Wait(-1);
    }

    private static unsafe bool TryEnterIdlePriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        LinuxNative.SchedParam param = default;
        return LinuxNative.sched_setscheduler(0, LinuxNative.SchedIdle, &param) == 0;
    }
}
