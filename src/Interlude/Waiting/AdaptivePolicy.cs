namespace Interlude.Waiting;

/// <summary>
/// The decisions of <see cref="WaitStrategy.Adaptive"/>, apart from the clock so they can be tested with a
/// deterministic one: every method takes the current time in Stopwatch ticks. One instance per loop, owner only.
/// </summary>
/// <remarks>
/// When the loop finds nothing to do, with offloads in flight, the policy asks the completion latencies'
/// distribution how long the wait is likely to last, given how long the newest offload has been out (its median
/// remaining time, the expected wait), and plans:
/// 1. Spin through the expected wait (plus MinSpin) when it is too short for a timed sleep to help (at most
///    MinTimedSleep plus the wake margin, and MaxSpin) and the spin budget holds it: the budget lets the loop spin
///    SpinBudget of its core, measured over SpinBudgetWindow (<see cref="SpinBudget"/>), so a short wait between
///    requests that come seldom is spun through (a few percent of the core) while the same wait at a high rate is
///    spun only as far as the share allows, and the rest sleep.
/// 2. Otherwise, when the completion is expected far enough away that a sleep ending the wake margin before its
///    early end (the distribution's 10th percentile) would last at least MinTimedSleep, and the budget holds the
///    spin from there to its late end (90th percentile): sleep on a timer that long, armed so an early completion
///    still wakes the loop, then spin. The wake margin is learned: the mean plus two deviations of how late past
///    timed sleeps woke (each sample and the margin capped at MaxSpin).
/// 3. Otherwise sleep until the device wakes the loop.
/// The plan holds until the facts change (new work, a submission, a completion) or its spin ends, then is made
/// again from the new age. With nothing in flight the loop spins for IdleSpin (if the budget holds it), then
/// sleeps; before any latency is known, for at most MaxInterruptSpin.
/// At high load the budget gives way to polling: the mode follows the loop's busy fraction (averaged over windows
/// of LoadWindow) with hysteresis, turning to polling at EnterPollingLoad or above and back only at
/// ExitPollingLoad or below; a polling loop spins while offloads are in flight (still sleeping on a timer through
/// waits too long to spin) and its spin is charged to the budget, which it finds empty when load falls.
/// </remarks>
internal sealed class AdaptivePolicy : IWaitStrategy
{
    private const double LoadWeight = 0.5;
    private const double WakeWeight = 1.0 / 8;
    private const double ExpectedQuantile = 0.5;
    private const double EarlyQuantile = 0.1;
    private const double LateQuantile = 0.9;

    private readonly long _idleSpinTicks;
    private readonly long _minSpinTicks;
    private readonly long _maxSpinTicks;
    private readonly long _minTimedSleepTicks;
    private readonly long _maxInterruptSpinTicks;
    private readonly long _loadWindowTicks;
    private readonly double _deviationFactor;
    private readonly double _enterPollingLoad;
    private readonly double _exitPollingLoad;
    private readonly SpinBudget _budget;

    private long _streakStart;
    private long _lastIdleAt;
    private long _windowBusy;
    private long _windowIdle;
    private bool _loadMeasured;
    private double _wakeLateMean;
    private double _wakeLateDeviation;

    // The current plan: made for these facts, spin until _spinUntil (0: sleep). _spun: the last decision was Spin.
    private long _planStreak;
    private long _planSubmitAt;
    private int _planOutstanding = -1;
    private long _spinUntil;
    private bool _spun;

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
        _budget = new SpinBudget(options.SpinBudget, Math.Max(1, ToTicks(options.SpinBudgetWindow)));
    }

    /// <summary>Whether the loop keeps spinning while offloads are in flight (high load) rather than budgeting.</summary>
    internal bool IsPolling { get; private set; }

    /// <summary>The loop's averaged busy fraction, 0 to 1 (0 until one load window has passed).</summary>
    internal double Load { get; private set; }

    /// <summary>The loop's spin budget: what it may spin now, and what it has spun.</summary>
    internal SpinBudget Budget => _budget;

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
        // Time since the last decision was spin only if that decision was Spin and the loop has found no work since.
        _budget.Advance(now, _spun && idleSince == _planStreak);
        TrackLoad(now, idleSince);
        bool sameFacts = idleSince == _planStreak && lastSubmitAt == _planSubmitAt && outstanding == _planOutstanding;
        if (!sameFacts || (_spinUntil != 0 && now >= _spinUntil))
        {
            _planStreak = idleSince;
            _planSubmitAt = lastSubmitAt;
            _planOutstanding = outstanding;
            IdleDecision planned = Plan(now, idleSince, outstanding, lastSubmitAt, latency);
            _spun = planned.Action == IdleAction.Spin;
            return planned;
        }

        _spun = now < _spinUntil || (IsPolling && outstanding > 0);
        return new IdleDecision(_spun ? IdleAction.Spin : IdleAction.Sleep);
    }

    /// <summary>Makes a new plan for the facts just recorded, and returns its first step.</summary>
    private IdleDecision Plan(long now, long idleSince, int outstanding, long lastSubmitAt, CompletionLatencyEstimator latency)
    {
        _spinUntil = 0;
        if (outstanding == 0)
        {
            return SpinIfAffordable(now, idleSince + _idleSpinTicks);
        }

        CompletionTimeHistogram distribution = latency.Distribution;
        if (latency.Samples == 0 || distribution.Total < 0.5)
        {
            long window = Math.Min(SpinWindowTicks(outstanding, latency), _maxInterruptSpinTicks);
            return IsPolling ? Spin(now + window) : SpinIfAffordable(now, idleSince + window);
        }

        long age = now - lastSubmitAt;
        long expected = distribution.Remaining(age, ExpectedQuantile);
        if (expected < 0)
        {
            // Older than any offload seen: nothing says when it ends.
            return IsPolling ? Spin(now + _maxSpinTicks) : new IdleDecision(IdleAction.Sleep);
        }

        // A wait too short for a timed sleep to help is spun through if the budget holds it; a longer one is left
        // to the timer (or, polling, spun too).
        long spinnable = Math.Min(_maxSpinTicks, _minTimedSleepTicks + WakeMarginTicks);
        if (expected <= (IsPolling ? _maxSpinTicks : spinnable) && (IsPolling || _budget.CanAfford(expected + _minSpinTicks)))
        {
            return Spin(now + expected + _minSpinTicks);
        }

        long early = distribution.Remaining(age, EarlyQuantile, lowerEdge: true);
        long late = distribution.Remaining(age, LateQuantile);
        long sleep = early - WakeMarginTicks;
        long lateSpin = late - sleep + _minSpinTicks;
        if (sleep >= _minTimedSleepTicks && lateSpin <= _maxSpinTicks && (IsPolling || _budget.CanAfford(lateSpin)))
        {
            // Sleep on a timer to just before the early end, then spin through to the late end (hybrid polling,
            // as the Linux block layer does); armed, so an early completion still wakes the loop.
            _spinUntil = now + late + _minSpinTicks;
            return new IdleDecision(IdleAction.TimedSleep, sleep);
        }

        return IsPolling ? Spin(now + _maxSpinTicks) : new IdleDecision(IdleAction.Sleep);
    }

    private IdleDecision SpinIfAffordable(long now, long until)
        => until > now && _budget.CanAfford(until - now) ? Spin(until) : new IdleDecision(IdleAction.Sleep);

    private IdleDecision Spin(long until)
    {
        _spinUntil = until;
        return new IdleDecision(IdleAction.Spin);
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
