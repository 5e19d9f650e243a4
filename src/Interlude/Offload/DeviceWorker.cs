using System.Diagnostics;
using Interlude.Offload;
using Interlude.Waiting;

namespace Interlude;

/// <summary>
/// One device thread of an <see cref="Accelerator"/>: it takes submissions from the rings of the loops assigned
/// to it (and from the shared queue of submissions made off any loop), hands each to the device model a derived
/// class supplies, and publishes what the model completes back to the owning loops, waking a loop only if it
/// sleeps armed. A device derives from it to say how an operation is executed and when it is done; rings,
/// notification, backpressure, cancellation, error delivery and shutdown are the base's.
/// </summary>
/// <remarks>
/// The model's members (<see cref="Accept"/>, <see cref="Advance"/>, <see cref="CanAccept"/>,
/// <see cref="InService"/>, <see cref="NextDueTicks"/>, <see cref="TakeAllInService"/>) are called only on the
/// worker's own thread, so the model keeps plain, unsynchronised state. A model either completes an operation
/// inside <see cref="Accept"/> (a CPU engine running a function) or holds it and completes it later from
/// <see cref="Advance"/> (hardware lanes, a batch being gathered, a queue pair being polled). Every operation it
/// takes must be completed exactly once with <see cref="Complete"/>, or returned by <see cref="TakeAllInService"/>
/// at shutdown.
///
/// Idle policy: with nothing in service the worker spins for the options' idle spin, then sleeps until a
/// submitter wakes it (submitters make that syscall only when it sleeps). With work in service but the next due
/// time far away, it sleeps until shortly before it, then spins.
///
/// Thread rules: the channel list is replaced (copy on write) under the accelerator's lock when a loop attaches
/// or leaves, and read by the worker thread; everything else belongs to the worker thread.
/// </remarks>
public abstract class DeviceWorker
{
    private static readonly long s_farAwayTicks = Parker.NsToTicks(400_000);
    private static readonly long s_wakeMarginTicks = Parker.NsToTicks(150_000);

    private readonly Thread _thread;
    private readonly long _idleSpinTicks;
    private DeviceChannel[] _channels = [];
    private volatile bool _stopRequested;

    // Worker thread only: the operation inside Accept, so one the model threw on is failed even if it never kept it.
    private OffloadOperation? _accepting;

    /// <summary>Creates the worker; its thread starts when the accelerator starts its workers.</summary>
    /// <param name="device">The accelerator it serves.</param>
    /// <param name="index">Its position among the accelerator's workers (names the thread).</param>
    /// <param name="core">The core to pin its thread to; null leaves it unpinned.</param>
    /// <param name="idleSpin">How long it spins when idle before it sleeps; infinite: it never sleeps.</param>
    protected DeviceWorker(Accelerator device, int index, int? core, TimeSpan idleSpin)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (idleSpin < TimeSpan.Zero && idleSpin != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(idleSpin), idleSpin, "The idle spin must be non-negative or infinite.");
        }

        Device = device;
        Index = index;
        Core = core;
        Parker = new Parker();
        _idleSpinTicks = idleSpin == Timeout.InfiniteTimeSpan ? long.MaxValue : (long)(idleSpin.TotalSeconds * Stopwatch.Frequency);
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = $"interlude-{device.Name}-{index}",
        };
    }

    /// <summary>The accelerator this worker serves.</summary>
    public Accelerator Device { get; }

    /// <summary>Its position among the accelerator's workers.</summary>
    public int Index { get; }

    /// <summary>The core its thread is pinned to; null when unpinned.</summary>
    public int? Core { get; }

    /// <summary>Whether the model can take another operation now.</summary>
    /// <remarks>Defaults to true: a model that completes each operation inside <see cref="Accept"/> never fills up.</remarks>
    protected virtual bool CanAccept => true;

    /// <summary>Operations the model holds, taken and not yet completed.</summary>
    /// <remarks>Defaults to 0, for a model that completes each operation inside <see cref="Accept"/>.</remarks>
    protected virtual int InService => 0;

    /// <summary>
    /// When (Stopwatch ticks) the model next needs <see cref="Advance"/> called, or <see cref="long.MaxValue"/>
    /// when it needs polling as often as possible or holds nothing. The worker sleeps until shortly before a due
    /// time that is far away.
    /// </summary>
    /// <remarks>Defaults to <see cref="long.MaxValue"/>.</remarks>
    protected virtual long NextDueTicks => long.MaxValue;

    internal Parker Parker { get; }

    internal Thread Thread => _thread;

    /// <summary>
    /// Worker thread: the model takes <paramref name="operation"/>, taken at <paramref name="now"/> (Stopwatch
    /// ticks). It runs it (<see cref="DeviceOperation.Execute"/>) or reads its request, or only its argument, and
    /// either completes it here with <see cref="Complete"/> or holds it until <see cref="Advance"/>. Called only
    /// while <see cref="CanAccept"/>. An operation whose cancellation is already requested never reaches it if it
    /// has a payload: the worker hands that straight back.
    /// </summary>
    protected abstract void Accept(DeviceOperation operation, long now);

    /// <summary>Worker thread, every pass: completes whatever is due. Returns whether anything completed.</summary>
    /// <remarks>Defaults to completing nothing, for a model that completes each operation inside <see cref="Accept"/>.</remarks>
    protected virtual bool Advance(long now) => false;

    /// <summary>
    /// Worker thread: awaiters have cancelled operations since the last pass, and some may be among those the model
    /// holds. A model that holds operations for a while (lanes, a batch being gathered) completes the ones whose
    /// <see cref="DeviceOperation.IsCancellationRequested"/> is set, at once and without running them, so their
    /// time goes to work somebody still waits for. Called only after a cancellation, so it costs nothing otherwise.
    /// </summary>
    /// <remarks>Defaults to doing nothing.</remarks>
    protected virtual void DropCancelled(long now)
    {
    }

    /// <summary>Worker thread, at shutdown: every operation the model still holds, which then fail with <see cref="ObjectDisposedException"/>.</summary>
    /// <remarks>Defaults to none.</remarks>
    protected virtual IEnumerable<DeviceOperation> TakeAllInService() => [];

    /// <summary>Worker thread, before its first pass (pin libraries' threads, create per-thread resources).</summary>
    protected virtual void OnThreadStarted()
    {
    }

    /// <summary>Worker thread, after its last pass and after every held operation was failed.</summary>
    protected virtual void OnThreadStopping()
    {
    }

    /// <summary>
    /// Worker thread: hands a finished operation back to its loop (or, for one submitted off any loop, completes
    /// it here). <paramref name="completedAt"/> is when the device finished it (Stopwatch ticks); it travels in the
    /// completion ring's slot and feeds the loop's latency estimate. Its outcome is what the model stored: a
    /// result, an error, the work function's outcome, or nothing for an operation without a payload.
    /// </summary>
    protected void Complete(in DeviceOperation operation, long completedAt)
    {
        if (operation.Channel is { } channel)
        {
            channel.PublishCompletion(operation.Operation, completedAt);
        }
        else
        {
            operation.Operation.OnDeviceDone();
            Device.ReleaseFallbackSlot();
        }
    }

    internal void Start() => _thread.Start();

    /// <summary>Asks the thread to stop; returns whether it ended by <paramref name="deadline"/> (Stopwatch ticks).</summary>
    internal bool Stop(long deadline)
    {
        _stopRequested = true;
        Parker.Unpark();
        if (Thread.CurrentThread == _thread || !_thread.IsAlive && _thread.ThreadState == System.Threading.ThreadState.Unstarted)
        {
            return true;
        }

        if (deadline == long.MaxValue)
        {
            _thread.Join();
            return true;
        }

        long remaining = deadline - Stopwatch.GetTimestamp();
        return _thread.Join(TimeSpan.FromSeconds(Math.Max(0, remaining) / (double)Stopwatch.Frequency));
    }

    /// <summary>Under the accelerator's lock.</summary>
    internal void AddChannel(DeviceChannel channel) => Volatile.Write(ref _channels, [.. _channels, channel]);

    /// <summary>Under the accelerator's lock.</summary>
    internal void RemoveChannel(DeviceChannel channel)
        => Volatile.Write(ref _channels, Array.FindAll(_channels, c => !ReferenceEquals(c, channel)));

    private void Run()
    {
        if (Core is int core)
        {
            CpuAffinity.TryPinCurrentThread(core);
        }

        bool faulted = false;
        try
        {
            OnThreadStarted();
            Serve();
        }
        catch (Exception fault)
        {
            // A model that throws cannot be trusted with what it holds: the device stops, and every awaiter
            // learns why instead of waiting forever.
            Device.RecordFault(fault);
            faulted = true;
        }

        FailEverything();
        if (faulted)
        {
            // Only now, with this thread off its rings, may the loops consume what is left in them.
            Device.StopAfterFault();
        }

        OnThreadStopping();
    }

    private void Serve()
    {
        long lastWork = Stopwatch.GetTimestamp();
        int rotation = 0;
        while (!_stopRequested)
        {
            long now = Stopwatch.GetTimestamp();
            bool worked = TakeSubmissions(now, rotation++);
            worked |= Advance(now);
            if (worked)
            {
                lastWork = now;
                continue;
            }

            long nextDue = NextDueTicks;
            long untilDue = nextDue == long.MaxValue ? long.MaxValue : nextDue - now;
            int inService = InService;
            bool idleLongEnough = inService == 0 && now - lastWork >= _idleSpinTicks;
            bool dueFarAway = inService > 0 && untilDue > s_farAwayTicks;
            if (!idleLongEnough && !dueFarAway)
            {
                Thread.SpinWait(1);
                continue;
            }

            Sleep(inService == 0 ? -1 : Parker.TicksToNs(untilDue - s_wakeMarginTicks));
        }
    }

    // The rotation lives on the worker's stack, not in a field: this object is read by submitting loops on
    // every submission (Parker), and a field the worker writes every pass would share their cache line.
    private bool TakeSubmissions(long now, int rotation)
    {
        bool took = false;
        bool cancelled = false;
        DeviceChannel[] channels = Volatile.Read(ref _channels);
        int count = channels.Length;
        if (count > 0)
        {
            // Start at a different channel each pass, so a busy loop cannot starve the others of lanes.
            int start = (int)((uint)rotation % (uint)count);
            for (int i = 0; i < count; i++)
            {
                DeviceChannel channel = channels[(start + i) % count];

                // Before taking: a submission cancelled before this read is seen cancelled below.
                bool checkAll = channel.TakeNewCancellations();
                cancelled |= checkAll;
                while (CanAccept && channel.Submissions.TryDequeue(out OffloadOperation? op, out long descriptor))
                {
                    Begin(new DeviceOperation(op, channel, descriptor), now, checkAll);
                    took = true;
                }
            }
        }

        if (cancelled && InService > 0)
        {
            DropCancelled(now);
        }

        while (CanAccept && Device.TryTakeFallback(out OffloadOperation? op))
        {
            Begin(new DeviceOperation(op!, null, op!.Descriptor), now, checkAll: true);
            took = true;
        }

        return took;
    }

    /// <param name="operation">The operation taken.</param>
    /// <param name="now">When it was taken.</param>
    /// <param name="checkAll">Whether its channel saw cancellations since the last pass: then even an operation
    /// without a payload is looked at. Otherwise only one with a payload, whose line the model reads anyway.</param>
    private void Begin(in DeviceOperation operation, long now, bool checkAll)
    {
        if ((checkAll || operation.HasPayload) && operation.IsCancellationRequested)
        {
            // Nobody waits for it any more: hand it straight back without running it or holding a lane for it.
            Complete(operation, now);
        }
        else
        {
            _accepting = operation.Operation;
            Accept(operation, now);
            _accepting = null;
        }
    }

    private void Sleep(long timeoutNs)
    {
        if (!Parker.TryPrepare())
        {
            return;
        }

        if (_stopRequested || HasVisibleSubmissions())
        {
            Parker.Cancel();
            return;
        }

        Parker.Wait(timeoutNs);
    }

    private bool HasVisibleSubmissions()
    {
        foreach (DeviceChannel channel in Volatile.Read(ref _channels))
        {
            if (channel.Submissions.ConsumerHasItems())
            {
                return true;
            }
        }

        return Device.HasFallbackWork;
    }

    /// <summary>Shutdown: every operation held or queued fails (disposed, or the device's failure), so no awaiter hangs.</summary>
    private void FailEverything()
    {
        Exception disposed = Device.StoppedError("the operation was in flight.");
        OffloadOperation? accepting = _accepting;
        _accepting = null;
        IEnumerable<DeviceOperation> held;
        try
        {
            held = [.. TakeAllInService()];
        }
        catch (Exception)
        {
            // A model that cannot even list what it holds loses those operations' completions; the rest still fail.
            held = [];
        }

        foreach (DeviceOperation operation in held)
        {
            if (ReferenceEquals(operation.Operation, accepting))
            {
                accepting = null;
            }

            operation.Operation.DeviceError = disposed;
            Complete(operation, Stopwatch.GetTimestamp());
        }

        if (accepting is not null)
        {
            // The model threw inside Accept without keeping the operation: fail it where it came from.
            accepting.DeviceError = disposed;
            if (accepting.Channel is { } channel)
            {
                channel.PublishCompletion(accepting, Stopwatch.GetTimestamp());
            }
            else
            {
                accepting.OnDeviceDone();
                Device.ReleaseFallbackSlot();
            }
        }

        foreach (DeviceChannel channel in Volatile.Read(ref _channels))
        {
            while (channel.Submissions.TryDequeue(out OffloadOperation? op))
            {
                op.DeviceError = disposed;
                Complete(new DeviceOperation(op, channel, 0), Stopwatch.GetTimestamp());
            }
        }

        while (Device.TryTakeFallback(out OffloadOperation? op))
        {
            op!.DeviceError = disposed;
            Complete(new DeviceOperation(op, null, 0), Stopwatch.GetTimestamp());
        }
    }
}
