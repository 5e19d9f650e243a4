using System.Diagnostics;
using Interlude.Waiting;
using Xunit;

namespace Interlude.Tests;

/// <summary>The adaptive policy driven by a deterministic clock: every time below is chosen by the test.</summary>
public sealed class AdaptivePolicyTests
{
    private static readonly long s_start = Us(1_000_000);

    private static AdaptiveWaitOptions Options() => new()
    {
        IdleSpin = TimeSpan.FromMicroseconds(20),
        MinSpin = TimeSpan.FromMicroseconds(2),
        MaxSpin = TimeSpan.FromMicroseconds(200),
        MinTimedSleep = TimeSpan.FromMicroseconds(50),
        MaxInterruptSpin = TimeSpan.FromMicroseconds(10),
        InitialWakeMargin = TimeSpan.FromMicroseconds(20),
        EnterPollingLoad = 0.5,
        ExitPollingLoad = 0.25,
        LoadWindow = TimeSpan.FromMilliseconds(1),
    };

    private static AdaptiveWaitOptions NoSpinBudget()
    {
        AdaptiveWaitOptions options = Options();
        options.SpinBudget = 0;
        return options;
    }

    [Fact]
    public void With_nothing_in_flight_it_spins_for_the_idle_spin_then_sleeps()
    {
        var policy = new AdaptivePolicy(Options());
        var latency = new CompletionLatencyEstimator();

        Assert.Equal(IdleAction.Spin, policy.Decide(s_start + Us(19), s_start, 0, 0, latency).Action);
        Assert.Equal(IdleAction.Sleep, policy.Decide(s_start + Us(21), s_start, 0, 0, latency).Action);
    }

    [Fact]
    public void A_long_expected_wait_is_slept_through_on_a_timer_ending_the_wake_margin_before_it()
    {
        var policy = new AdaptivePolicy(Options());
        CompletionLatencyEstimator latency = Latency(Us(500));

        IdleDecision decision = policy.Decide(s_start + Us(10), s_start + Us(10), 1, s_start, latency);

        // The timer ends the wake margin (20 us) before the earliest the offload has been seen to end: the lower
        // edge of its histogram bucket, less the 10 us it has already waited.
        long early = CompletionTimeHistogram.LowerBound(CompletionTimeHistogram.Bucket(Us(500)));
        Assert.Equal(IdleAction.TimedSleep, decision.Action);
        Assert.Equal(early - Us(10) - Us(20), decision.SleepTicks);
    }

    [Fact]
    public void After_a_timed_sleep_it_spins_through_the_expected_completion_then_sleeps()
    {
        var policy = new AdaptivePolicy(Options());
        CompletionLatencyEstimator latency = Latency(Us(300));
        long late = CompletionTimeHistogram.UpperBound(CompletionTimeHistogram.Bucket(Us(300)));

        IdleDecision first = policy.Decide(s_start + Us(1), s_start + Us(1), 1, s_start, latency);
        Assert.Equal(IdleAction.TimedSleep, first.Action);

        // Woken by the timer 5 us late: it spins through the expected completion (the bucket's upper edge, plus
        // MinSpin), and past it sleeps: an offload older than any seen gives no reason to spin.
        long woke = s_start + Us(1) + first.SleepTicks + Us(5);
        policy.AfterSleep(first, s_start + Us(1), woke, slept: true);
        Assert.Equal(IdleAction.Spin, policy.Decide(woke, s_start + Us(1), 1, s_start, latency).Action);
        Assert.Equal(IdleAction.Spin, policy.Decide(s_start + late, s_start + Us(1), 1, s_start, latency).Action);
        Assert.Equal(IdleAction.Sleep, policy.Decide(s_start + late + Us(4), s_start + Us(1), 1, s_start, latency).Action);
    }

    [Fact]
    public void A_timed_sleep_shorter_than_the_minimum_is_not_taken()
    {
        var policy = new AdaptivePolicy(NoSpinBudget());
        CompletionLatencyEstimator latency = Latency(Us(60)); // a sleep would end 20 us early: about 40 us, under 50

        Assert.Equal(IdleAction.Sleep, policy.Decide(s_start, s_start, 1, s_start, latency).Action);
    }

    [Fact]
    public void A_short_expected_wait_is_spun_through_then_slept_past_it()
    {
        var policy = new AdaptivePolicy(Options());
        CompletionLatencyEstimator latency = Latency(Us(4));
        long expected = CompletionTimeHistogram.UpperBound(CompletionTimeHistogram.Bucket(Us(4)));

        Assert.Equal(IdleAction.Spin, policy.Decide(s_start + Us(1), s_start + Us(1), 1, s_start, latency).Action);
        Assert.Equal(IdleAction.Spin, policy.Decide(s_start + expected, s_start + Us(1), 1, s_start, latency).Action);
        Assert.Equal(IdleAction.Sleep, policy.Decide(s_start + expected + Us(3), s_start + Us(1), 1, s_start, latency).Action);
    }

    [Fact]
    public void Before_any_latency_is_known_it_spins_at_most_the_interrupt_spin()
    {
        var policy = new AdaptivePolicy(Options());
        var latency = new CompletionLatencyEstimator();

        Assert.False(policy.IsPolling);
        Assert.Equal(IdleAction.Spin, policy.Decide(s_start + Us(9), s_start, 1, s_start, latency).Action);
        Assert.Equal(IdleAction.Sleep, policy.Decide(s_start + Us(11), s_start, 1, s_start, latency).Action);
    }

    [Fact]
    public void The_wake_margin_learns_how_late_timers_fire()
    {
        var policy = new AdaptivePolicy(Options());
        Assert.Equal(Us(20), policy.WakeMarginTicks);

        for (int i = 0; i < 200; i++)
        {
            policy.TimedSleepEnded(s_start, s_start + Us(60));
        }

        Assert.InRange(policy.WakeMarginTicks, Us(59), Us(61));

        // Woken early by a completion: no information about the timer, no change.
        long before = policy.WakeMarginTicks;
        policy.TimedSleepEnded(s_start + Us(100), s_start);
        Assert.Equal(before, policy.WakeMarginTicks);
    }

    [Fact]
    public void Very_late_wakes_count_for_at_most_the_longest_spin()
    {
        var policy = new AdaptivePolicy(Options());
        for (int i = 0; i < 200; i++)
        {
            policy.TimedSleepEnded(s_start, s_start + Us(i % 10 == 0 ? 5_000 : 60));
        }

        // Without the cap the 5 ms outliers would push the margin past every wait the loop could sleep through.
        Assert.True(policy.WakeMarginTicks <= Us(200), $"margin {policy.WakeMarginTicks} ticks");
        Assert.True(policy.WakeMarginTicks > Us(60), $"margin {policy.WakeMarginTicks} ticks");
    }

    [Fact]
    public void High_load_turns_to_polling_and_it_stays_there_until_load_falls_below_the_exit_threshold()
    {
        var policy = new AdaptivePolicy(Options());
        CompletionLatencyEstimator latency = Latency(Us(30));
        long now = s_start;

        // 80% busy: 40 us of work, then 10 us idle, repeated.
        now = RunCycles(policy, latency, now, busyUs: 40, idleUs: 10, cycles: 60);
        Assert.True(policy.IsPolling);
        Assert.InRange(policy.Load, 0.7, 0.9);

        // Polling: past the spin window it keeps spinning while offloads are in flight.
        long idleSince = now;
        Assert.Equal(IdleAction.Spin, policy.Decide(idleSince + Us(150), idleSince, 1, idleSince, latency).Action);
        now = idleSince + Us(150);

        // 40% busy: between the thresholds, so the mode holds.
        now = RunCycles(policy, latency, now, busyUs: 20, idleUs: 30, cycles: 100);
        Assert.True(policy.IsPolling);

        // 10% busy: below the exit threshold, back to interrupt mode, which sleeps past the window.
        now = RunCycles(policy, latency, now, busyUs: 5, idleUs: 45, cycles: 100);
        Assert.False(policy.IsPolling);
        Assert.Equal(IdleAction.Sleep, policy.Decide(now + Us(150), now, 1, now, latency).Action);

        // 40% busy again: still between the thresholds, so interrupt mode holds too.
        RunCycles(policy, latency, now, busyUs: 20, idleUs: 30, cycles: 100);
        Assert.False(policy.IsPolling);
    }

    /// <summary>Alternates busy stretches and idle streaks, deciding at the start and end of each idle streak.</summary>
    private static long RunCycles(AdaptivePolicy policy, CompletionLatencyEstimator latency, long now, int busyUs, int idleUs, int cycles)
    {
        for (int i = 0; i < cycles; i++)
        {
            now += Us(busyUs);
            long idleSince = now;
            policy.Decide(now, idleSince, 1, idleSince, latency);
            now += Us(idleUs);
            policy.Decide(now, idleSince, 1, idleSince, latency);
        }

        return now;
    }

    private static CompletionLatencyEstimator Latency(long ticks)
    {
        var latency = new CompletionLatencyEstimator();
        latency.Record(ticks);
        return latency;
    }

    private static long Us(double microseconds) => (long)(microseconds * Stopwatch.Frequency / 1_000_000);
}
