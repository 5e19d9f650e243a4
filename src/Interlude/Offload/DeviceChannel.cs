using System.Diagnostics;
using Interlude.Diagnostics;
using Interlude.Loops;
using Interlude.Primitives;

namespace Interlude.Offload;

/// <summary>
/// The pair of rings between one loop and one device, and the loop-side reaping of its completions (driven by
/// the loop's <see cref="CompletionHub"/>).
/// </summary>
/// <remarks>
/// Who touches what:
/// - <see cref="Submissions"/>: the loop produces, the device worker consumes.
/// - <see cref="Completions"/>: the device worker produces, the loop consumes (in <see cref="Reap"/>).
/// - After every completion it publishes, the device worker signals the loop's hub (<see cref="CompletionHub.Signal"/>),
///   which rings the channel's readiness bit when the hub uses its summary and wakes the loop only if it is armed.
/// - The waiting FIFO, the count of operations in the rings and the list of outstanding ones (<c>_owner</c>, on
///   cache lines of their own) and everything else: the loop only. The loop's total of outstanding offloads,
///   the one the wait strategy reads, is the hub's.
/// Backpressure: at most <see cref="Capacity"/> operations are in the rings (pushed and not yet reaped) per
/// channel, so neither ring can overflow. A submission beyond that waits, suspended, in the loop-local FIFO
/// and enters the ring in order as completions are reaped. Nothing is dropped.
/// </remarks>
internal sealed class DeviceChannel : ICompletionQueue
{
    private const int ReapBudget = 256;

    private static readonly Action<object?> s_shed = static s => ((OffloadOperation)s!).OnDeviceDone();

    private readonly int _maxWaiting;
    private readonly OffloadOverflow _overflow;

    // Owner loop only.
    private ChannelOwnerState _owner;

    // Cancellations: the loop counts, the worker reads (see ChannelDeviceState).
    private ChannelDeviceState _device;

    internal DeviceChannel(Loop loop, int capacity, DeviceWorker worker, int maxWaiting, OffloadOverflow overflow)
    {
        Loop = loop;
        Hub = loop.Completions;
        Worker = worker;
        Capacity = capacity;
        _maxWaiting = maxWaiting;
        _overflow = overflow;
        Submissions = new SpscRing<OffloadOperation>(capacity);
        Completions = new SpscRing<OffloadOperation>(capacity);
    }

    internal Loop Loop { get; }

    internal CompletionHub Hub { get; }

    /// <summary>This channel's slot in its hub (its readiness bit). Set by the loop before its first submission.</summary>
    public int Slot { get; internal set; }

    /// <summary>Owner loop: whether completions wait to be reaped.</summary>
    public bool HasCompletions => Completions.ConsumerHasItems();

    internal DeviceWorker Worker { get; }

    internal int Capacity { get; }

    internal SpscRing<OffloadOperation> Submissions { get; }

    internal SpscRing<OffloadOperation> Completions { get; }

    /// <summary>Owner loop: the most operations this channel ever had in its rings (never above Capacity).</summary>
    internal int PeakInRings => _owner.PeakInRings;

    /// <summary>Owner loop: submits, or queues behind earlier waiters when the channel is full.</summary>
    internal void Submit(OffloadOperation op)
    {
        Debug.Assert(Loop.IsCurrent, "only the owning loop submits on its channel");
        long now = Stopwatch.GetTimestamp();
        op.SubmitTimestamp = now;
        if (InterludeActivities.Source.HasListeners())
        {
            InterludeActivities.StartOffload(op, Worker.Device.Name, Loop.Index);
        }

        Hub.OnSubmitted(now);
        Loop.Counters.OffloadsSubmitted++;
        op.NextOutstanding = _owner.OutstandingHead;
        if (_owner.OutstandingHead is not null)
        {
            _owner.OutstandingHead.PreviousOutstanding = op;
        }

        _owner.OutstandingHead = op;
        if (_owner.WaitingHead is null && _owner.InRings < Capacity)
        {
            Push(op);
            return;
        }

        if (_owner.Waiting >= _maxWaiting)
        {
            if (_overflow == OffloadOverflow.Reject || _owner.WaitingHead is null)
            {
                // Fail fast: the caller learns at once, before it awaits, that the device is saturated.
                Loop.Counters.OffloadsRejected++;
                Refuse(op, Overloaded("submission refused"));
                return;
            }

            // Shed the oldest waiter, whose caller has waited longest and is likeliest to have given up; its
            // awaiter resumes from the run queue, not inside this submission.
            OffloadOperation oldest = _owner.WaitingHead;
            RemoveWaiting(oldest);
            Loop.Counters.OffloadsShed++;
            oldest.DeviceError = Overloaded("oldest waiting submission shed for a newer one");
            Hub.OnAbandoned();
            Unlink(oldest);
            Loop.Counters.OffloadsFailed++;
            Loop.Schedule(s_shed, oldest);
        }

        Loop.Counters.BackpressureWaits++;
        op.IsWaiting = true;
        op.PreviousWaiting = _owner.WaitingTail;
        if (_owner.WaitingTail is null)
        {
            _owner.WaitingHead = op;
        }
        else
        {
            _owner.WaitingTail.NextWaiting = op;
        }

        _owner.WaitingTail = op;
        _owner.Waiting++;
        Hub.OnWaiting(+1);
    }

    /// <summary>
    /// Owner loop, from a cancellation that won: an operation still waiting for ring space leaves the queue and
    /// will never reach the device; for one in the ring or at the device, the count the worker watches moves, so
    /// it drops the work instead of spending its service time on it.
    /// </summary>
    internal void OnCancelled(OffloadOperation op)
    {
        if (op.IsWaiting)
        {
            RemoveWaiting(op);
            Hub.OnAbandoned();
            Unlink(op);

            // As if the device were done with it: it is recycled once its awaiter has read the cancellation.
            op.OnDeviceDone();
        }
        else
        {
            Volatile.Write(ref _device.Cancellations, _device.Cancellations + 1);
        }
    }

    /// <summary>Device worker, once a pass: whether operations were cancelled since it last looked.</summary>
    internal bool TakeNewCancellations()
    {
        long count = Volatile.Read(ref _device.Cancellations);
        if (count == _device.SeenCancellations)
        {
            return false;
        }

        _device.SeenCancellations = count;
        return true;
    }

    /// <summary>Device worker: hands a finished operation back and wakes the loop if it sleeps armed.</summary>
    /// <param name="op">The finished operation.</param>
    /// <param name="completedAt">When the device finished it (Stopwatch ticks); it travels in the ring slot, so the
    /// device writes nothing into an operation that has no result.</param>
    internal void PublishCompletion(OffloadOperation op, long completedAt)
    {
        bool enqueued = Completions.TryEnqueue(op, completedAt);
        Debug.Assert(enqueued, "outstanding operations never exceed the completion ring's capacity");
        Hub.Signal(Slot);
    }

    /// <summary>Owner loop: reaps up to a budget of completions and resumes their owners. Returns whether any were reaped.</summary>
    public bool Reap()
    {
        int reaped = 0;
        while (reaped < ReapBudget && Completions.TryDequeue(out OffloadOperation? op, out long completedAt))
        {
            reaped++;
            _owner.InRings--;
            Unlink(op);
            Loop.Counters.OffloadsCompleted++;
            if (op.DeviceError is not null)
            {
                Loop.Counters.OffloadsFailed++;
            }

            // The device's own completion time, not the reaping time: a loop that slept through the completion
            // must not teach its wait strategy that the device is slower than it is.
            Hub.OnCompleted(completedAt - op.SubmitTimestamp);
            if (InterludeMetrics.OffloadDuration.Enabled)
            {
                InterludeMetrics.OffloadDuration.Record((Stopwatch.GetTimestamp() - op.SubmitTimestamp) / (double)Stopwatch.Frequency);
            }

            op.OnDeviceDone();
        }

        if (_owner.WaitingHead is not null)
        {
            DrainWaiting();
        }

        return reaped > 0;
    }

    /// <summary>Owner loop: fails every outstanding operation that has not completed (shutdown).</summary>
    public int CancelPending(CancellationToken token)
    {
        // The next link is read first: cancelling an operation that still waits for ring space unlinks it.
        int cancelled = 0;
        OffloadOperation? next;
        for (OffloadOperation? op = _owner.OutstandingHead; op is not null; op = next)
        {
            next = op.NextOutstanding;
            if (op.CancelOnLoop(token))
            {
                cancelled++;
            }
        }

        return cancelled;
    }

    /// <summary>Owner loop, as it exits: the device forgets this channel.</summary>
    public void OnLoopExit() => Worker.Device.Detach(this);

    /// <summary>
    /// Owner loop, posted by <see cref="Accelerator.Dispose()"/> once the device threads have ended: reaps the last
    /// completions, fails what a push left in the submission ring after its worker's last sweep (the worker is
    /// gone, so the loop may consume) and leaves the hub.
    /// </summary>
    internal void FailStranded()
    {
        while (Reap())
        {
        }

        while (Submissions.TryDequeue(out OffloadOperation? op))
        {
            _owner.InRings--;
            Reject(op);
        }

        Hub.Detach(this);
    }

    /// <summary>Owner loop: completes an operation the stopped device will never see.</summary>
    private void Reject(OffloadOperation op) => Refuse(op, Worker.Device.StoppedError("the operation never reached it."));

    /// <summary>Owner loop: completes an operation that will never reach the device with <paramref name="error"/>.</summary>
    private void Refuse(OffloadOperation op, Exception error)
    {
        op.DeviceError = error;
        Hub.OnAbandoned();
        Unlink(op);
        Loop.Counters.OffloadsCompleted++;
        Loop.Counters.OffloadsFailed++;
        op.OnDeviceDone();
    }

    private void Unlink(OffloadOperation op)
    {
        if (op.Activity is not null)
        {
            InterludeActivities.StopOffload(op);
        }

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

        _owner.InRings++;
        if (_owner.InRings > _owner.PeakInRings)
        {
            _owner.PeakInRings = _owner.InRings;
        }

        bool enqueued = Submissions.TryEnqueue(op, op.Descriptor);
        Debug.Assert(enqueued, "outstanding operations never exceed the submission ring's capacity");

        // Store-load, as in PublishCompletion: a device worker about to sleep must see the submission or be woken.
        Interlocked.MemoryBarrier();
        Worker.Parker.UnparkIfParked();
    }

    private void DrainWaiting()
    {
        while (_owner.WaitingHead is not null && _owner.InRings < Capacity)
        {
            OffloadOperation op = _owner.WaitingHead;
            RemoveWaiting(op);
            Push(op);
        }
    }

    private void RemoveWaiting(OffloadOperation op)
    {
        if (op.PreviousWaiting is null)
        {
            _owner.WaitingHead = op.NextWaiting;
        }
        else
        {
            op.PreviousWaiting.NextWaiting = op.NextWaiting;
        }

        if (op.NextWaiting is null)
        {
            _owner.WaitingTail = op.PreviousWaiting;
        }
        else
        {
            op.NextWaiting.PreviousWaiting = op.PreviousWaiting;
        }

        op.NextWaiting = null;
        op.PreviousWaiting = null;
        op.IsWaiting = false;
        _owner.Waiting--;
        Hub.OnWaiting(-1);
    }

    private AcceleratorOverloadedException Overloaded(string what)
        => new($"The device '{Worker.Device.Name}' is overloaded: {Capacity} operations in its rings and {_maxWaiting} waiting "
            + $"on this loop (AcceleratorOptions.RingCapacity and MaxQueuedSubmissions); {what}.");
}
