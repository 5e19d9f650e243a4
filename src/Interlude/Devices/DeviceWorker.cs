using System.Diagnostics;
using Interlude.Native;
using Interlude.Offload;
using Interlude.Waiting;

namespace Interlude.Devices;

/// <summary>
/// One device thread: takes submissions from its channels' rings (and the shared fallback queue), hands them
/// to the device model, and publishes completions back to the owning loops.
/// </summary>
/// <remarks>
/// Thread rules: <c>_channels</c> is replaced (copy on write) by <see cref="AddChannel"/> / <see cref="RemoveChannel"/>
/// under the accelerator's lock and read by the worker thread; everything else belongs to the worker thread.
/// Idle policy: with nothing in service the worker spins for IdleSpin, then sleeps until a submitter wakes it
/// (submitters make that syscall only when it sleeps). With work in service but the next completion far away, it
/// sleeps until shortly before it is due, then spins, so long simulated operations do not burn the device core.
/// </remarks>
internal abstract class DeviceWorker
{
    private static readonly long s_farAwayTicks = Parker.NsToTicks(400_000);
    private static readonly long s_wakeMarginTicks = Parker.NsToTicks(150_000);

    private readonly Thread _thread;
    private readonly long _idleSpinTicks;
    private DeviceChannel[] _channels = [];
    private volatile bool _stopRequested;

    protected DeviceWorker(Accelerator device, int index, int? core, TimeSpan idleSpin)
    {
        Device = device;
        Core = core;
        Parker = new Parker();
        _idleSpinTicks = idleSpin == Timeout.InfiniteTimeSpan ? long.MaxValue : (long)(idleSpin.TotalSeconds * Stopwatch.Frequency);
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = $"interlude-{device.Name}-{index}",
        };
    }

    internal Accelerator Device { get; }

    internal int? Core { get; }

    internal Parker Parker { get; }

    internal Thread Thread => _thread;

    /// <summary>Whether the device model can take another operation now.</summary>
    protected abstract bool CanAccept { get; }

    /// <summary>Operations the device model holds.</summary>
    protected abstract int InService { get; }

    /// <summary>When the device model's next operation finishes (ticks), or long.MaxValue.</summary>
    protected abstract long NextDueTicks { get; }

    internal void Start() => _thread.Start();

    internal void Stop()
    {
        _stopRequested = true;
        Parker.Unpark();
        _thread.Join();
    }

    /// <summary>Under the accelerator's lock.</summary>
    internal void AddChannel(DeviceChannel channel) => Volatile.Write(ref _channels, [.. _channels, channel]);

    /// <summary>Under the accelerator's lock.</summary>
    internal void RemoveChannel(DeviceChannel channel)
        => Volatile.Write(ref _channels, Array.FindAll(_channels, c => !ReferenceEquals(c, channel)));

    /// <summary>
    /// Worker thread: the device model starts an operation from <paramref name="channel"/> (null: the fallback
    /// queue). <paramref name="serviceTicks"/> is its own service time or -1; the model calls Execute only when
    /// <paramref name="hasWork"/>, and otherwise needs never read the operation.
    /// </summary>
    protected abstract void Accept(OffloadOperation op, DeviceChannel? channel, long serviceTicks, bool hasWork, long now);

    /// <summary>Worker thread: complete whatever is due. Returns whether anything completed.</summary>
    protected abstract bool Advance(long now);

    /// <summary>Worker thread, at shutdown: every operation the model still holds, with the channel it came from.</summary>
    protected abstract IEnumerable<(OffloadOperation Op, DeviceChannel? Channel)> TakeAllInService();

    /// <summary>
    /// Worker thread: hands an operation finished at <paramref name="completedAt"/> back through the channel it came
    /// from, or, for the fallback queue (null), completes it here.
    /// </summary>
    protected void Complete(OffloadOperation op, DeviceChannel? channel, long completedAt)
    {
        if (channel is not null)
        {
            channel.PublishCompletion(op, completedAt);
        }
        else
        {
            op.OnDeviceDone();
            Device.ReleaseFallbackSlot();
        }
    }

    private void Run()
    {
        if (Core is int core)
        {
            CpuAffinity.TryPinCurrentThread(core);
        }

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

            long untilDue = NextDueTicks == long.MaxValue ? long.MaxValue : NextDueTicks - now;
            bool idleLongEnough = InService == 0 && now - lastWork >= _idleSpinTicks;
            bool dueFarAway = InService > 0 && untilDue > s_farAwayTicks;
            if (!idleLongEnough && !dueFarAway)
            {
                Thread.SpinWait(1);
                continue;
            }

            Sleep(InService == 0 ? -1 : Parker.TicksToNs(untilDue - s_wakeMarginTicks));
        }

        FailEverything();
    }

    // The rotation lives on the worker's stack, not in a field: this object is read by submitting loops on
    // every submission (Parker), and a field the worker writes every pass would share their cache line.
    private bool TakeSubmissions(long now, int rotation)
    {
        bool took = false;
        DeviceChannel[] channels = Volatile.Read(ref _channels);
        int count = channels.Length;
        if (count > 0)
        {
            // Start at a different channel each pass, so a busy loop cannot starve the others of lanes.
            int start = (int)((uint)rotation % (uint)count);
            for (int i = 0; i < count && CanAccept; i++)
            {
                DeviceChannel channel = channels[(start + i) % count];
                while (CanAccept && channel.Submissions.TryDequeue(out OffloadOperation? op, out long descriptor))
                {
                    Begin(op, channel, descriptor, now);
                    took = true;
                }
            }
        }

        while (CanAccept && Device.TryTakeFallback(out OffloadOperation? op))
        {
            Begin(op!, null, op!.Descriptor, now);
            took = true;
        }

        return took;
    }

    private void Begin(OffloadOperation op, DeviceChannel? channel, long descriptor, long now)
    {
        bool hasWork = OperationDescriptor.HasWork(descriptor);
        if (hasWork && op.CancelRequested)
        {
            // Nobody waits for it any more: hand it straight back without running its work. (An operation without
            // work is not looked at: its cancellation is settled on its loop, and skipping it saves nothing.)
            Complete(op, channel, now);
        }
        else
        {
            Accept(op, channel, OperationDescriptor.ServiceTicks(descriptor), hasWork, now);
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

    /// <summary>Shutdown: every operation held or queued fails with ObjectDisposedException, so no awaiter hangs.</summary>
    private void FailEverything()
    {
        var disposed = new ObjectDisposedException(Device.Name, "The accelerator was disposed while the operation was in flight.");
        foreach ((OffloadOperation op, DeviceChannel? from) in TakeAllInService())
        {
            op.DeviceError = disposed;
            Complete(op, from, Stopwatch.GetTimestamp());
        }

        foreach (DeviceChannel channel in Volatile.Read(ref _channels))
        {
            while (channel.Submissions.TryDequeue(out OffloadOperation? op))
            {
                op.DeviceError = disposed;
                Complete(op, channel, Stopwatch.GetTimestamp());
            }
        }

        while (Device.TryTakeFallback(out OffloadOperation? op))
        {
            op!.DeviceError = disposed;
            Complete(op, null, Stopwatch.GetTimestamp());
        }
    }
}
