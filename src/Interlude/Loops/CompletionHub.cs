using System.Numerics;
using Interlude.Primitives;
using Interlude.Waiting;

namespace Interlude.Loops;

/// <summary>
/// The loop's completion driver: the one poller through which it reaps every device channel it owns, the single
/// armed flag that devices check before waking it, and the loop's offload bookkeeping (how many are outstanding,
/// when the last was submitted, how long they take), which the wait strategy decides from.
/// </summary>
/// <remarks>
/// With few channels the hub scans each channel's completion ring (one cache line per channel, already
/// written by the device). With many, a scan of idle rings would cost more than the completions themselves,
/// so the hub switches to a <see cref="ReadinessSummary"/>: devices ring a channel's bit after publishing and
/// the loop visits only rung channels. The switch happens once, when the channel count passes
/// <see cref="AutoSummaryThreshold"/> (<see cref="CompletionScan.Auto"/>), or is fixed by the loop group's
/// options. Who touches what:
/// - <c>_armed</c>: the loop writes 1 before it sleeps and 0 after; a device reads it after every completion it
///   publishes (and rings) and, if 1, clears it and wakes the loop.
/// - <c>_summaryOn</c>: the loop writes it (false to true, once); devices read it after publishing to decide
///   whether to ring.
/// - The channel table, the tally and everything else: the loop only.
/// </remarks>
internal sealed class CompletionHub : ILoopDriver
{
    /// <summary>Channels a loop scans one by one before it turns to the summary (Auto).</summary>
    internal const int AutoSummaryThreshold = 4;

    private readonly Loop _loop;
    private readonly CompletionScan _scan;
    private readonly ReadinessSummary _summary = new(ReadinessSummary.MaxQueues);
    private PaddedInt32 _armed;
    private volatile bool _summaryOn;

    // Loop only: channels by slot (null where a slot is free), the slots in use, and the free slots.
    private ICompletionQueue?[] _channels = new ICompletionQueue?[AutoSummaryThreshold];
    private int _slotsInUse;
    private int _highestSlot = -1;
    private readonly Stack<int> _freeSlots = new();
    private ICompletionQueue? _hot;

    // Loop only, on lines of its own (see OffloadTally).
    private OffloadTally _tally;

    internal CompletionHub(Loop loop, CompletionScan scan)
    {
        _loop = loop;
        _scan = scan;
        _summaryOn = scan == CompletionScan.Summary;
    }

    /// <summary>Channels attached.</summary>
    internal int ChannelCount => _slotsInUse;

    /// <summary>Whether the loop visits only rung channels (any thread; a snapshot).</summary>
    internal bool UsesSummary => _summaryOn;

    /// <summary>Loop only: offloads submitted and not yet reaped (those waiting for ring space included).</summary>
    internal int Outstanding => _tally.Outstanding;

    /// <summary>Loop only: when the last offload was submitted (Stopwatch ticks).</summary>
    internal long LastSubmitAt => _tally.LastSubmitAt;

    /// <summary>Loop only: how long offloads take, submit to the device's completion.</summary>
    internal CompletionLatencyEstimator Latency { get; } = new();

    /// <summary>Loop only: an offload was submitted at <paramref name="now"/>.</summary>
    internal void OnSubmitted(long now)
    {
        _tally.Outstanding++;
        _tally.LastSubmitAt = now;
    }

    /// <summary>Loop only: an offload the device finished <paramref name="latencyTicks"/> after its submission was reaped.</summary>
    internal void OnCompleted(long latencyTicks)
    {
        _tally.Outstanding--;
        Latency.Record(latencyTicks);
    }

    /// <summary>Loop only: an offload ended without reaching the device (rejected, shed, cancelled while waiting, or failed by shutdown).</summary>
    internal void OnAbandoned() => _tally.Outstanding--;

    /// <summary>Loop only: a submission started or stopped waiting for ring space.</summary>
    internal void OnWaiting(int change) => Volatile.Write(ref _tally.Waiting, _tally.Waiting + change);

    /// <summary>Any thread: submissions waiting for ring space on this loop (a snapshot).</summary>
    internal int Waiting => Volatile.Read(ref _tally.Waiting);

    /// <summary>Loop only: gives a new channel its slot.</summary>
    internal int Attach(ICompletionQueue channel)
    {
        int slot;
        if (_freeSlots.Count > 0)
        {
            slot = _freeSlots.Pop();
        }
        else
        {
            slot = _highestSlot + 1;
            if (slot >= ReadinessSummary.MaxQueues)
            {
                throw new InvalidOperationException(
                    $"A loop can serve at most {ReadinessSummary.MaxQueues} device channels (one per accelerator it submits to).");
            }

            if (slot == _channels.Length)
            {
                Array.Resize(ref _channels, Math.Min(_channels.Length * 2, ReadinessSummary.MaxQueues));
            }

            _highestSlot = slot;
        }

        _channels[slot] = channel;
        _slotsInUse++;
        if (!_summaryOn && _scan == CompletionScan.Auto && _slotsInUse > AutoSummaryThreshold)
        {
            SwitchToSummary();
        }

        return slot;
    }

    /// <summary>Loop only: frees a detached channel's slot.</summary>
    internal void Detach(ICompletionQueue channel)
    {
        int slot = channel.Slot;
        if ((uint)slot < (uint)_channels.Length && ReferenceEquals(_channels[slot], channel))
        {
            _channels[slot] = null;
            _slotsInUse--;
            if (ReferenceEquals(_hot, channel))
            {
                _hot = null;
            }

            _freeSlots.Push(slot);
        }
    }

    /// <summary>
    /// Device thread, after publishing a completion into <paramref name="slot"/>'s ring: rings its bit if the loop
    /// uses the summary, and wakes the loop if it sleeps armed.
    /// </summary>
    internal void Signal(int slot)
    {
        // Store-load: the completion must be visible before we read the mode flag and the armed flag, or a loop
        // switching to the summary or arming right now could see an empty ring while we see it scanning or unarmed.
        Interlocked.MemoryBarrier();
        if (_summaryOn)
        {
            _summary.Ring(slot);
        }

        if (Volatile.Read(ref _armed.Value) == 1 && Interlocked.CompareExchange(ref _armed.Value, 0, 1) == 1)
        {
            _loop.Parker.Unpark();
        }
    }

    public bool Poll() => _summaryOn ? PollSummary() : PollAll();

    public bool TryEnterInterruptMode()
    {
        Interlocked.Exchange(ref _armed.Value, 1);
        if (_summaryOn ? _summary.IsRung : AnyCompletions())
        {
            Volatile.Write(ref _armed.Value, 0);
            return false;
        }

        return true;
    }

    public void ExitInterruptMode() => Volatile.Write(ref _armed.Value, 0);

    public int CancelPending(CancellationToken token)
    {
        int cancelled = 0;
        for (int slot = 0; slot <= _highestSlot; slot++)
        {
            if (_channels[slot] is { } channel)
            {
                cancelled += channel.CancelPending(token);
            }
        }

        return cancelled;
    }

    public void OnRemoved()
    {
        for (int slot = 0; slot <= _highestSlot; slot++)
        {
            _channels[slot]?.OnLoopExit();
        }
    }

    private bool PollAll()
    {
        // The table and its extent are read together, once: reaping resumes coroutines inline, and one may submit
        // to a device this loop has not used yet, attaching a channel (and growing the table) in mid-poll. The new
        // channel is reaped from the next poll on.
        bool worked = false;
        ICompletionQueue?[] channels = _channels;
        int highest = _highestSlot;
        for (int slot = 0; slot <= highest; slot++)
        {
            if (channels[slot] is { } channel)
            {
                worked |= channel.Reap();
            }
        }

        return worked;
    }

    private bool PollSummary()
    {
        // The channel that last had completions is reaped directly first, the way it would be with a scan: a
        // busy channel's completions are found from its ring's own line, without waiting on the summary's lines.
        // Its rings in the summary are then spurious and cost the loop an exchange later, off the latency path.
        bool worked = _hot is { } hot && hot.Reap();
        if (!_summary.IsRung)
        {
            return worked;
        }

        while (_summary.TryTake(out int first, out ulong ready))
        {
            ulong unfinished = 0;
            for (ulong bits = ready; bits != 0; bits &= bits - 1)
            {
                int bit = BitOperations.TrailingZeroCount(bits);
                if (_channels[first + bit] is { } channel)
                {
                    if (channel.Reap())
                    {
                        worked = true;
                        _hot = channel;
                    }

                    if (channel.HasCompletions)
                    {
                        unfinished |= 1UL << bit;
                    }
                }
            }

            if (unfinished != 0)
            {
                // A channel hit its reaping budget: it is visited again next poll, after the rest of the loop's work.
                _summary.Return(first, unfinished);
                break;
            }
        }

        return worked;
    }

    private bool AnyCompletions()
    {
        for (int slot = 0; slot <= _highestSlot; slot++)
        {
            if (_channels[slot] is { HasCompletions: true })
            {
                return true;
            }
        }

        return false;
    }

    private void SwitchToSummary()
    {
        // A device that read the flag as false before this write did not ring; ringing every channel once after
        // it (the interlocked OR is a full fence) makes the next poll look at all of them, so nothing is missed.
        _summaryOn = true;
        for (int slot = 0; slot <= _highestSlot; slot++)
        {
            if (_channels[slot] is not null)
            {
                _summary.Ring(slot);
            }
        }
    }
}
