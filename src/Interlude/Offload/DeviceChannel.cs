using System.Diagnostics;
using Interlude.Devices;
using Interlude.Diagnostics;
using Interlude.Loops;

namespace Interlude.Offload;

/// <summary>
/// The pair of rings between one loop and one device, and the loop-side poller that reaps completions.
/// </summary>
/// <remarks>
/// Who touches what:
/// - <see cref="Submissions"/>: the loop produces, the device worker consumes.
/// - <see cref="Completions"/>: the device worker produces, the loop consumes (in <see cref="Poll"/>).
/// - <c>_armed</c>: the loop writes 1 before it sleeps and 0 after; the device worker reads it after every
///   completion it publishes and, if 1, clears it and wakes the loop: the device signals only armed loops.
/// - The waiting FIFO, the outstanding count and list (<c>_owner</c>, on cache lines of their own) and
///   everything else: the loop only.
/// Backpressure: at most <see cref="Capacity"/> operations are outstanding (submitted and not yet reaped)
/// per channel, so neither ring can overflow. A submission beyond that waits, suspended, in the loop-local FIFO
/// and enters the ring in order as completions are reaped. Nothing is dropped.
/// </remarks>
internal sealed class DeviceChannel : ILoopPoller, ILoopBound
{
    private const int ReapBudget = 256;

    private PaddedInt32 _armed;

    // Owner loop only.
    private ChannelOwnerState _owner;

    internal DeviceChannel(Loop loop, int capacity, DeviceWorker worker)
    {
        Loop = loop;
        Worker = worker;
        Capacity = capacity;
        Submissions = new SpscRing<OffloadOperation>(capacity);
        Completions = new SpscRing<OffloadOperation>(capacity);
    }

    internal Loop Loop { get; }

    internal DeviceWorker Worker { get; }

    internal int Capacity { get; }

    internal SpscRing<OffloadOperation> Submissions { get; }

    internal SpscRing<OffloadOperation> Completions { get; }

    /// <summary>Owner loop: the most operations this channel ever had outstanding (never above Capacity).</summary>
    internal int PeakOutstanding => _owner.PeakOutstanding;

    /// <summary>Owner loop: submits, or queues behind earlier waiters when the channel is full.</summary>
    internal void Submit(OffloadOperation op)
    {
        Debug.Assert(Loop.IsCurrent, "only the owning loop submits on its channel");
        op.SubmitTimestamp = Stopwatch.GetTimestamp();
        Loop.Counters.OffloadsSubmitted++;
        Loop.OutstandingOffloads++;
        op.NextOutstanding = _owner.OutstandingHead;
        if (_owner.OutstandingHead is not null)
        {
            _owner.OutstandingHead.PreviousOutstanding = op;
        }

        _owner.OutstandingHead = op;
        if (_owner.WaitingHead is null && _owner.Outstanding < Capacity)
        {
            Push(op);
            return;
        }

        Loop.Counters.BackpressureWaits++;
        if (_owner.WaitingTail is null)
        {
            _owner.WaitingHead = op;
        }
        else
        {
            _owner.WaitingTail.NextWaiting = op;
        }

        _owner.WaitingTail = op;
    }

    /// <summary>Device worker: hands a finished operation back and wakes the loop if it sleeps armed.</summary>
    internal void PublishCompletion(OffloadOperation op)
    {
        bool enqueued = Completions.TryEnqueue(op);
        Debug.Assert(enqueued, "outstanding operations never exceed the completion ring's capacity");

        // Store-load: the completion must be visible before we look at the flag, or a loop arming right now
        // could see an empty ring while we see it unarmed.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _armed.Value) == 1 && Interlocked.CompareExchange(ref _armed.Value, 0, 1) == 1)
        {
            Loop.Parker.Unpark();
        }
    }

    public bool Poll()
    {
        int reaped = 0;
        long now = 0;
        while (reaped < ReapBudget && Completions.TryDequeue(out OffloadOperation? op))
        {
            if (reaped++ == 0)
            {
                now = Stopwatch.GetTimestamp();
            }

            _owner.Outstanding--;
            Loop.OutstandingOffloads--;
            Unlink(op);
            Loop.Counters.OffloadsCompleted++;
            if (op.DeviceError is not null)
            {
                Loop.Counters.OffloadsFailed++;
            }

            long latency = now - op.SubmitTimestamp;
            Loop.LatencyEstimator.Record(latency);
            if (InterludeMetrics.OffloadLatency.Enabled)
            {
                InterludeMetrics.OffloadLatency.Record(latency * 1e6 / Stopwatch.Frequency);
            }

            op.OnDeviceDone();
        }

        if (_owner.WaitingHead is not null)
        {
            DrainWaiting();
        }

        return reaped > 0;
    }

    public bool TryEnterInterruptMode()
    {
        Interlocked.Exchange(ref _armed.Value, 1);
        if (Completions.ConsumerHasItems())
        {
            Volatile.Write(ref _armed.Value, 0);
            return false;
        }

        return true;
    }

    public void ExitInterruptMode() => Volatile.Write(ref _armed.Value, 0);

    /// <summary>Owner loop: fails every outstanding operation that has not completed (shutdown).</summary>
    public int CancelPending(CancellationToken token)
    {
        int cancelled = 0;
        for (OffloadOperation? op = _owner.OutstandingHead; op is not null; op = op.NextOutstanding)
        {
            if (op.CancelOnLoop(token))
            {
                cancelled++;
            }
        }

        return cancelled;
    }

    public void OnLoopExit() => Worker.Device.Detach(this);

    /// <summary>
    /// Owner loop, posted by <see cref="Accelerator.Dispose"/> once the device threads have ended: fails what a
    /// push left in the submission ring after its worker's last sweep. The worker is gone, so the loop may consume.
    /// </summary>
    internal void FailStranded()
    {
        while (Submissions.TryDequeue(out OffloadOperation? op))
        {
            _owner.Outstanding--;
            Reject(op);
        }
    }

    /// <summary>Owner loop: completes an operation the device will never see with ObjectDisposedException.</summary>
    private void Reject(OffloadOperation op)
    {
        op.DeviceError = new ObjectDisposedException(Worker.Device.Name, "The accelerator was disposed before the operation reached it.");
        Loop.OutstandingOffloads--;
        Unlink(op);
        Loop.Counters.OffloadsCompleted++;
        Loop.Counters.OffloadsFailed++;
        op.OnDeviceDone();
    }

    private void Unlink(OffloadOperation op)
    {
        if (op.PreviousOutstanding is null)
        {
            _owner.OutstandingHead = op.NextOutstanding;
        }
        else
        {
            op.PreviousOutstanding.NextOutstanding = op.NextOutstanding;
        }

        if (op.NextOutstanding is not null)
        {
            op.NextOutstanding.PreviousOutstanding = op.PreviousOutstanding;
        }

        op.PreviousOutstanding = null;
        op.NextOutstanding = null;
    }

    private void Push(OffloadOperation op)
    {
        if (Worker.Device.IsDisposed)
        {
            // The device threads are gone or going: nothing would ever take it from the ring.
            Reject(op);
            return;
        }

        _owner.Outstanding++;
        if (_owner.Outstanding > _owner.PeakOutstanding)
        {
            _owner.PeakOutstanding = _owner.Outstanding;
        }

        bool enqueued = Submissions.TryEnqueue(op);
        Debug.Assert(enqueued, "outstanding operations never exceed the submission ring's capacity");

        // Store-load, as in PublishCompletion: a device worker about to sleep must see the submission or be woken.
        Interlocked.MemoryBarrier();
        Worker.Parker.UnparkIfParked();
    }

    private void DrainWaiting()
    {
        while (_owner.WaitingHead is not null && _owner.Outstanding < Capacity)
        {
            OffloadOperation op = _owner.WaitingHead;
            _owner.WaitingHead = op.NextWaiting;
            op.NextWaiting = null;
            if (_owner.WaitingHead is null)
            {
                _owner.WaitingTail = null;
            }

            Push(op);
        }
    }
}
