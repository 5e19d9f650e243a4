using System.Diagnostics;
using System.Runtime.CompilerServices;
using Interlude.Diagnostics;
using Interlude.Loops;
using Interlude.Native;
using Interlude.Waiting;

namespace Interlude;

/// <summary>
/// One event loop on one dedicated (and, on Linux, pinned) thread. Coroutines started on a loop resume on it
/// after every await, so their state needs no locks.
/// </summary>
/// <remarks>
/// A loop creates its drivers with itself and owns them until it exits: its timers, its device completions (the
/// completion hub every accelerator's channel to this loop attaches to) and, on Linux, its sockets (an epoll
/// instance). Drivers and the pollers added with <see cref="AddPoller"/> are polled, armed and disarmed alike.
///
/// One iteration: poll every poller, which resumes the owners inline; run what other threads posted; run the
/// local queue up to a budget. With nothing done, the wait strategy decides from the loop's facts whether to
/// spin, yield or sleep, and the loop does it (<see cref="Idle"/>; <see cref="TrySleep"/> is the only way to
/// sleep).
///
/// Thread rules: everything not marked otherwise is touched only by the loop's own thread. Other threads
/// reach a loop only through <see cref="Schedule(Action{object?}, object?)"/> (the remote inbox),
/// <see cref="Parker"/> and the read-only counters.
/// </remarks>
public sealed partial class Loop
{
    private const int InboxBatch = 256;
    private const int RunBudget = 256;

    [ThreadStatic]
    private static Loop? t_current;

    private static int s_nextGlobalId;

    private readonly LoopGroup _group;
    private readonly RunQueue _runQueue;
    private readonly RemoteInbox _inbox;
    private readonly IWaitStrategy _wait;
    private readonly TimerQueue _timers;
    private readonly CompletionHub _completions;
    private readonly EpollPoller? _io;
    private readonly ILoopDriver[] _drivers;
    private readonly LoopSynchronizationContext _syncContext;
    private readonly LoopTaskScheduler _taskScheduler;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _started = new(false);

    // Completed by the loop thread as it ends; awaited by the stopping thread, which so blocks no thread on it.
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Owner writes (copy on write); only the owner reads. The drivers first, then the added pollers.
    private ILoopPoller[] _pollers;

    // Written by the stopping thread, read by the owner every iteration.
    private volatile bool _exitRequested;

    // Written by the stopping thread before _exitRequested; read by the owner: once exit is requested, queued work
    // runs until the loop is idle or this time (Stopwatch ticks) has passed, so a coroutine that yields forever
    // cannot keep the loop (and the stopping thread) alive.
    private long _exitDeadline;

    // Incremented by other threads that spawn onto this loop; read by the stopping thread.
    private long _remoteSpawns;

    // Set at construction; applied by the loop's own thread as it starts (null: the kernel's default).
    private readonly TimeSpan? _timerSlack;

    internal Loop(LoopGroup group, int index, int? core, LoopGroupOptions options)
    {
        _group = group;
        Index = index;
        Core = core;
        GlobalId = Interlocked.Increment(ref s_nextGlobalId) - 1;
        Parker = new Parker();
        Counters = new LoopCounters();
        _runQueue = new RunQueue(options.InitialRunQueueCapacity);
        _inbox = new RemoteInbox(Parker);
        _timers = new TimerQueue(this);
        _completions = new CompletionHub(this, options.CompletionScan);
        _io = EpollPoller.IsSupported ? new EpollPoller(this) : null;
        _drivers = _io is null ? [_timers, _completions] : [_timers, _completions, _io];
        _pollers = [.. _drivers];
        _syncContext = new LoopSynchronizationContext(this);
        _taskScheduler = new LoopTaskScheduler(this);
        _wait = options.WaitStrategy switch
        {
            WaitStrategy.Poll => new PollWait(),
            WaitStrategy.Block => new BlockWait(),
            WaitStrategy.Adaptive => new AdaptivePolicy(options.Adaptive),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.WaitStrategy, "Unknown wait strategy."),
        };
        WaitStrategy = options.WaitStrategy;
        _timerSlack = options.TimerSlack;
        _thread = new Thread(Run, maxStackSize: 0)
        {
            IsBackground = true,
            Name = $"interlude-loop-{index}",
        };
    }

    /// <summary>The loop running on the calling thread, or null off any loop.</summary>
    public static Loop? Current => t_current;

    /// <summary>Position of this loop in its group.</summary>
    public int Index { get; }

    /// <summary>The core this loop's thread was asked to run on; null when unpinned.</summary>
    public int? Core { get; }

    /// <summary>Whether the OS accepted the pinning request (false on systems without affinity support).</summary>
    public bool IsPinned { get; private set; }

    /// <summary>The group this loop belongs to.</summary>
    public LoopGroup Group => _group;

    /// <summary>The wait strategy this loop uses when idle.</summary>
    public WaitStrategy WaitStrategy { get; }

    /// <summary>Whether the calling thread is this loop's thread.</summary>
    public bool IsCurrent => t_current == this;

    /// <summary>Posts to this loop; installed as the current context on the loop's thread.</summary>
    public SynchronizationContext SynchronizationContext => _syncContext;

    /// <summary>Runs tasks on this loop.</summary>
    public TaskScheduler TaskScheduler => _taskScheduler;

    /// <summary>Unique across every group in the process; devices index their per-loop channels by it.</summary>
    internal int GlobalId { get; }

    internal Parker Parker { get; }

    internal LoopCounters Counters { get; }

    /// <summary>The timer driver. Owner only.</summary>
    internal TimerQueue Timers => _timers;

    /// <summary>The completion driver every device channel of this loop attaches to. Owner only, except its Signal.</summary>
    internal CompletionHub Completions => _completions;

    /// <summary>The socket driver (epoll); null where epoll is unavailable. Owner only, except its wake.</summary>
    internal EpollPoller? Io => _io;

    internal Thread Thread => _thread;

    /// <summary>The loop thread's Linux thread id (0 before it starts or elsewhere). Written by the loop thread before it signals its start.</summary>
    internal int OsThreadId { get; private set; }

    /// <summary>Any thread: work items other threads have posted and the loop has not yet taken (a snapshot).</summary>
    internal int QueuedRemoteWork => _inbox.Count;

    internal long RemoteSpawns => Volatile.Read(ref _remoteSpawns);

    internal bool ExitRequested => _exitRequested;

    /// <summary>
    /// Any thread: coroutines spawned onto this loop and not yet ended, as of one instant. The counters only grow,
    /// and the ended count is read on both sides of the started count until it has not moved. Read once each, started
    /// then ended, a coroutine started after the first read and ended before the second counted as ended only: a
    /// running loop's figure came out one short, and a stop's abandoned coroutines with it.
    /// </summary>
    internal long InFlightCoroutines
    {
        get
        {
            long ended = EndedCoroutines;
            while (true)
            {
                long started = Volatile.Read(ref Counters.CoroutinesStarted) + RemoteSpawns;
                long endedAfter = EndedCoroutines;
                if (endedAfter == ended)
                {
                    return started - ended;
                }

                ended = endedAfter;
            }
        }
    }

    private long EndedCoroutines
        => Volatile.Read(ref Counters.CoroutinesCompleted)
            + Volatile.Read(ref Counters.CoroutinesFaulted)
            + Volatile.Read(ref Counters.CoroutinesCancelled);

    /// <summary>Queues work on this loop. Any thread; the owner's path takes no lock and makes no syscall.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Schedule(Action<object?> callback, object? state)
    {
        if (t_current == this)
        {
            _runQueue.Enqueue(new WorkItem(callback, state));
        }
        else
        {
            _inbox.Post(new WorkItem(callback, state));
        }
    }

    internal void SchedulePost(SendOrPostCallback callback, object? state)
    {
        if (t_current == this)
        {
            _runQueue.Enqueue(new WorkItem(callback, state));
        }
        else
        {
            _inbox.Post(new WorkItem(callback, state));
        }
    }

    internal void CountRemoteSpawn() => Interlocked.Increment(ref _remoteSpawns);

    internal void Start()
    {
        _thread.Start();
        _started.Wait();
    }

    /// <summary>
    /// Stopping thread: asks the loop to finish its queued work and exit; work still queued at
    /// <paramref name="deadline"/> (Stopwatch ticks) is left, so a coroutine that yields forever cannot keep it.
    /// </summary>
    internal void RequestExit(long deadline)
    {
        Volatile.Write(ref _exitDeadline, deadline);
        _exitRequested = true;
        Parker.Unpark();
    }

    /// <summary>Completes when the loop's thread has finished its run (its drivers and pollers removed).</summary>
    internal Task Exited => _exited.Task;

    /// <summary>
    /// Stopping thread: on the loop, fails every pending offload and delay with cancellation. Waits at most
    /// <paramref name="timeout"/> for a loop that does not answer (a stalled one); null then.
    /// </summary>
    internal async Task<(int Offloads, int Timers)?> CancelPendingAsync(CancellationToken token, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<(int, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Schedule(
            static s =>
            {
                var (loop, token, done) = ((Loop, CancellationToken, TaskCompletionSource<(int, int)>))s!;
                int offloads = loop._completions.CancelPending(token) + (loop._io?.CancelPending(token) ?? 0);
                done.TrySetResult((offloads, loop._timers.CancelPending(token)));
            },
            (this, token, done));
        try
        {
            return await done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// Owner only, with nothing to do: asks the wait strategy what to do, from the loop's facts, and does it.
    /// </summary>
    private void Idle()
    {
        long now = Stopwatch.GetTimestamp();
        IdleDecision decision = _wait.Decide(new IdleFacts(now, Counters.IdleSince, _completions.Outstanding, _completions.LastSubmitAt, _completions.Latency));
        switch (decision.Action)
        {
            case IdleAction.Spin:
                Thread.SpinWait(1);
                break;
            case IdleAction.Yield:
                Thread.Yield();
                break;
            default:
                bool slept = TrySleep(decision.Action == IdleAction.TimedSleep ? decision.SleepTicks : long.MaxValue);
                _wait.AfterSleep(decision, now, Stopwatch.GetTimestamp(), slept);
                break;
        }
    }

    /// <summary>
    /// Owner only. Arms every poller, announces the sleep, re-checks the inbox and sleeps until notified or the
    /// earliest timer is due (at most <paramref name="maxTicks"/>). Returns whether it slept.
    /// </summary>
    private bool TrySleep(long maxTicks)
    {
        ILoopPoller[] pollers = _pollers;
        int armed = 0;
        while (armed < pollers.Length && pollers[armed].TryEnterInterruptMode())
        {
            armed++;
        }

        if (armed < pollers.Length || !Parker.TryPrepare())
        {
            ExitInterruptMode(pollers, armed);
            return false;
        }

        if (!_inbox.IsEmpty || _runQueue.Count > 0 || _exitRequested)
        {
            Parker.Cancel();
            ExitInterruptMode(pollers, armed);
            return false;
        }

        long timeoutTicks = maxTicks;
        long nextDue = _timers.NextDueTicks;
        if (nextDue != long.MaxValue)
        {
            timeoutTicks = Math.Min(timeoutTicks, Math.Max(0, nextDue - Stopwatch.GetTimestamp()));
        }

        Counters.Sleeps++;
        bool notified = Parker.Wait(timeoutTicks == long.MaxValue ? -1 : Parker.TicksToNs(timeoutTicks));
        if (notified)
        {
            Counters.NotifiedWakes++;
        }

        ExitInterruptMode(pollers, armed);
        return true;
    }

    private static void ExitInterruptMode(ILoopPoller[] pollers, int armed)
    {
        for (int i = 0; i < armed; i++)
        {
            pollers[i].ExitInterruptMode();
        }
    }

    private void Run()
    {
        t_current = this;
        SynchronizationContext.SetSynchronizationContext(_syncContext);
        if (Core is int core)
        {
            IsPinned = CpuAffinity.TryPinCurrentThread(core);
        }

        if (_timerSlack is { } slack)
        {
            TimerSlack.TrySetForCurrentThread(slack);
        }

        OsThreadId = OperatingSystem.IsLinux() ? LinuxNative.gettid() : 0;
        Counters.StartedAt = Stopwatch.GetTimestamp();
        _started.Set();
        try
        {
            while (true)
            {
                bool worked = RunOnce();
                if (_exitRequested && ShouldExit(worked))
                {
                    break;
                }

                if (worked)
                {
                    if (Counters.IdleSince != 0)
                    {
                        Counters.IdleTicks += Stopwatch.GetTimestamp() - Counters.IdleSince;
                        Counters.IdleSince = 0;
                    }

                    continue;
                }

                if (Counters.IdleSince == 0)
                {
                    Counters.IdleSince = Stopwatch.GetTimestamp();
                }

                Idle();
            }
        }
        finally
        {
            foreach (ILoopPoller poller in _pollers)
            {
                try
                {
                    poller.OnRemoved();
                }
                catch (Exception ex)
                {
                    _group.ReportFault(this, ex, FaultSource.Poller);
                }
            }

            SynchronizationContext.SetSynchronizationContext(null);
            t_current = null;
            _exited.TrySetResult();
        }
    }

    private bool ShouldExit(bool worked) => !worked || Stopwatch.GetTimestamp() >= Volatile.Read(ref _exitDeadline);

    /// <summary>One iteration. Returns whether anything was done.</summary>
    private bool RunOnce()
    {
        Counters.Progress++;
        bool worked = false;

        ILoopPoller[] pollers = _pollers;
        for (int i = 0; i < pollers.Length; i++)
        {
            try
            {
                worked |= pollers[i].Poll();
            }
            catch (Exception ex)
            {
                worked = true;
                _group.ReportFault(this, ex, FaultSource.Poller);
            }
        }

        for (int i = 0; i < InboxBatch && _inbox.TryDequeue(out WorkItem item); i++)
        {
            RunItem(item);
            worked = true;
        }

        for (int i = 0; i < RunBudget && _runQueue.TryDequeue(out WorkItem item); i++)
        {
            RunItem(item);
            worked = true;
        }

        return worked;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RunItem(in WorkItem item)
    {
        Counters.Progress++;
        Counters.ItemsRun++;
        try
        {
            item.Invoke();
        }
        catch (Exception ex)
        {
            _group.ReportFault(this, ex, FaultSource.WorkItem);
        }
    }
}
