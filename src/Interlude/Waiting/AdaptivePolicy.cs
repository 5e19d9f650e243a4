namespace Interlude.Waiting;

/// <summary>
/// The decisions of <see cref="WaitStrategy.Adaptive"/>, apart from the clock so they can be tested with a
/// deterministic one: every method takes the current time in Stopwatch ticks. One instance per loop, owner only.
/// </summary>
/// <remarks>
/// Three rules, applied in order when the loop finds nothing to do:
/// 1. Nothing in flight: spin for IdleSpin, then sleep until woken.
/// 2. The next completion is expected (last submission + mean completion latency) far enough away that a sleep
///    ending the wake margin before it would last at least MinTimedSleep: sleep on a timer that long (hybrid
///    polling, as the Linux block layer does), armed so an early completion still wakes the loop, then spin
///    until two deviations past the expected time (in interrupt mode at most MaxInterruptSpin past it). The timer fires on the loop's own core. The wake margin is
///    learned: the mean plus two deviations of how late past timed sleeps woke (each sample and the margin
///    capped at MaxSpin).
/// 3. Otherwise spin for the spin window (mean + k deviations of completion latency, clamped to
///    [MinSpin, MaxSpin]), which in interrupt mode is also capped at MaxInterruptSpin (about what a sleep and a
///    wake cost in CPU); past it, a loop in polling mode keeps spinning and one in interrupt mode sleeps until
///    the device wakes it.
/// The mode follows the loop's load (its busy fraction, averaged over windows of LoadWindow) with hysteresis:
/// interrupt mode turns to polling at EnterPollingLoad or above and back only at ExitPollingLoad or below.
/// </remarks>
internal sealed class AdaptivePolicy : IWaitStrategy
{
    private const double LoadWeight = 0.5;
    private const double WakeWeight = 1.0 / 8;

    private readonly long _idleSpinTicks;
    private readonly long _minSpinTicks;
    private readonly long _maxSpinTicks;
    private readonly long _minTimedSleepTicks;
    private readonly long _maxInterruptSpinTicks;
    private readonly long _loadWindowTicks;
    private readonly double _deviationFactor;
    private readonly double _enterPollingLoad;
    private readonly double _exitPollingLoad;

    private long _streakStart;
    private long _hybridSpinUntil;
    private long _lastIdleAt;
    private long _windowBusy;
    private long _windowIdle;
    private bool _loadMeasured;
    private double _wakeLateMean;
    private double _wakeLateDeviation;

    internal AdaptivePolicy(AdaptiveWaitOptions options)
    {
        _idleSpinTicks = ToTicks(options.IdleSpin);
        _minSpinTicks = ToTicks(options.MinSpin);
        _maxSpinTicks = ToTicks(options.MaxSpin);
        _minTimedSleepTicks = ToTicks(options.MinTimedSleep);
        _maxInterruptSpinTicks = ToTicks(options.MaxInterruptSpin);
        _loadWindowTicks = Math.Max(1, ToTicks(options.LoadWindow));
        _deviationFactor = options.DeviationFactor;
        _enterPollingLoad = options.EnterPollingLoad;
        _exitPollingLoad = options.ExitPollingLoad;
        _wakeLateMean = ToTicks(options.InitialWakeMargin);
    }

    /// <summary>Whether past the spin window the loop keeps spinning (high load) rather than sleeping.</summary>
    internal bool IsPolling { get; private set; }

    /// <summary>The loop's averaged busy fraction, 0 to 1 (0 until one load window has passed).</summary>
    internal double Load { get; private set; }

    /// <summary>How long before an expected completion a timed sleep ends, in ticks.</summary>
    /// <remarks>Never more than MaxSpin: past that, spinning out the rest of the wait costs more than it saves.</remarks>
    internal long WakeMarginTicks => Math.Min(_maxSpinTicks, (long)(_wakeLateMean + (2 * _wakeLateDeviation)));

    public IdleDecision Decide(in IdleFacts facts)
        => Decide(facts.Now, facts.IdleSince, facts.OutstandingOffloads, facts.LastSubmitAt, facts.Latency);

    public void AfterSleep(in IdleDecision decision, long decidedAt, long now, bool slept)
    {
        if (decision.Action == IdleAction.Sleep)
        {
            Woke(now);
        }
        else if (decision.Action == IdleAction.TimedSleep && slept)
        {
            TimedSleepEnded(decidedAt + decision.SleepTicks, now);
        }
    }

    /// <summary>The loop found no work at <paramref name="now"/>; its idle streak began at <paramref name="idleSince"/>.</summary>
    internal IdleDecision Decide(long now, long idleSince, int outstanding, long lastSubmitAt, CompletionLatencyEstimator latency)
    {
        TrackLoad(now, idleSince);
        if (outstanding == 0)
        {
            return new IdleDecision(now - idleSince < _idleSpinTicks ? IdleAction.Spin : IdleAction.Sleep);
        }

        if (latency.Samples > 0)
        {
            long due = lastSubmitAt + (long)latency.MeanTicks;
            long sleep = due - now - WakeMarginTicks;
            if (sleep >= _minTimedSleepTicks)
            {
                // Spin past the expected time for two deviations, but in interrupt mode at most MaxInterruptSpin:
                // completion times spread wide (operations of very different lengths) must not buy long spins at
                // low load.
                long tail = (long)(2 * latency.DeviationTicks);
                _hybridSpinUntil = due + (IsPolling ? tail : Math.Min(tail, _maxInterruptSpinTicks)) + _minSpinTicks;
                return new IdleDecision(IdleAction.TimedSleep, sleep);
            }

            if (now < _hybridSpinUntil)
            {
                // The polling half of a hybrid sleep: the timer woke the loop just before the completion is due.
                return new IdleDecision(IdleAction.Spin);
            }
        }

        long window = SpinWindowTicks(outstanding, latency);
        if (IsPolling || now - idleSince < Math.Min(window, _maxInterruptSpinTicks))
        {
            return new IdleDecision(IdleAction.Spin);
        }

        return new IdleDecision(IdleAction.Sleep);
    }

    /// <summary>The loop woke from a sleep at <paramref name="now"/>: sleeping time is idle time, not busy.</summary>
    internal void Woke(long now) => _lastIdleAt = now;

    /// <summary>A timed sleep meant to end at <paramref name="due"/> ended at <paramref name="now"/>.</summary>
    internal void TimedSleepEnded(long due, long now)
    {
        _lastIdleAt = now;
        long late = now - due;
        if (late < 0)
        {
            return; // woken early by a completion: says nothing about the timer's lateness
        }

        // One sleep that ended very late (the thread was preempted, the machine busy) says little about the
        // timer: each sample counts for at most MaxSpin, so a few outliers cannot stop timed sleeps altogether.
        double error = Math.Min(late, _maxSpinTicks) - _wakeLateMean;
        _wakeLateMean += WakeWeight * error;
        _wakeLateDeviation += WakeWeight * (Math.Abs(error) - _wakeLateDeviation);
    }

    /// <summary>The spin window for the current state; separate so it can be tested on its own.</summary>
    internal long SpinWindowTicks(int outstandingOffloads, CompletionLatencyEstimator latency)
    {
        if (outstandingOffloads == 0 || latency.Samples == 0)
        {
            return outstandingOffloads == 0 ? _idleSpinTicks : _maxSpinTicks;
        }

        double window = latency.MeanTicks + (_deviationFactor * latency.DeviationTicks);
        return Math.Clamp((long)window, _minSpinTicks, _maxSpinTicks);
    }

    private void TrackLoad(long now, long idleSince)
    {
        if (idleSince != _streakStart)
        {
            // A new idle streak: the loop was busy from the end of the last one until this one began.
            if (_streakStart != 0)
            {
                _windowIdle += Math.Max(0, _lastIdleAt - _streakStart);
                _windowBusy += Math.Max(0, idleSince - _lastIdleAt);
            }

            _streakStart = idleSince;
        }

        _lastIdleAt = now;
        long total = _windowBusy + _windowIdle;
        if (total < _loadWindowTicks)
        {
            return;
        }

        double busy = (double)_windowBusy / total;
        Load = _loadMeasured ? (LoadWeight * busy) + ((1 - LoadWeight) * Load) : busy;
        _loadMeasured = true;
        _windowBusy = 0;
        _windowIdle = 0;
        if (!IsPolling && Load >= _enterPollingLoad)
        {
            IsPolling = true;
        }
        else if (IsPolling && Load <= _exitPollingLoad)
        {
            IsPolling = false;
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
}
