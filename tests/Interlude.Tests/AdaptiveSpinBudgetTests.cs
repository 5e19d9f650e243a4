using System.Diagnostics;
using Interlude.Waiting;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// The adaptive policy's spin budget, driven by a deterministic clock: a simulated loop serves requests that each
/// wait for one offload, and the test counts what the policy chose to spin and to sleep.
/// </summary>
public sealed class AdaptiveSpinBudgetTests
{
    private static readonly long s_start = Us(1_000_000);

    private static AdaptiveWaitOptions Options(double budget) => new()
    {
        IdleSpin = TimeSpan.FromMicroseconds(20),
        MinSpin = TimeSpan.FromMicroseconds(2),
        MaxSpin = TimeSpan.FromMicroseconds(200),
        MinTimedSleep = TimeSpan.FromMicroseconds(50),
        InitialWakeMargin = TimeSpan.FromMicroseconds(20),
        SpinBudget = budget,
        SpinBudgetWindow = TimeSpan.FromMilliseconds(2),

        // Keep the loop out of polling mode: these tests are about the budget.
        EnterPollingLoad = 1,
        ExitPollingLoad = 1,
    };

    [Fact]
    public void A_short_wait_between_seldom_requests_is_spun_through()
    {
        // 20 us waits every 800 us: spinning all of them, and the 20 us idle spin after each, is 5% of the core,
        // within a 10% budget.
        Simulation run = Simulate(new AdaptivePolicy(Options(0.1)), Latency(Us(20)), periodUs: 800, waitUs: 20, requests: 500);

        Assert.Equal(run.Requests, run.Spun);
        Assert.Equal(0, run.Slept);
    }

    [Fact]
    public void A_wait_the_budget_does_not_hold_is_slept_through()
    {
        var policy = new AdaptivePolicy(Options(0.005)); // 10 us of spin per 2 ms window: less than one 20 us wait

        IdleDecision decision = policy.Decide(s_start + Us(1), s_start + Us(1), 1, s_start, Latency(Us(20)));

        Assert.Equal(IdleAction.Sleep, decision.Action);
    }

    [Fact]
    public void Without_a_budget_it_never_spins_even_with_nothing_in_flight()
    {
        var policy = new AdaptivePolicy(Options(0));

        Assert.Equal(IdleAction.Sleep, policy.Decide(s_start, s_start, 0, 0, new CompletionLatencyEstimator()).Action);
        Assert.Equal(IdleAction.Sleep, policy.Decide(s_start + Us(1), s_start + Us(1), 1, s_start, Latency(Us(20))).Action);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.25)]
    public void Waiting_at_a_high_rate_spins_no_more_than_the_budget_over_a_window(double budget)
    {
        // 20 us waits every 30 us: spinning all of them would be two thirds of the core.
        var policy = new AdaptivePolicy(Options(budget));
        Simulation run = Simulate(policy, Latency(Us(20)), periodUs: 30, waitUs: 20, requests: 20_000);

        double share = (double)run.SpinTicks / run.WallTicks;
        Assert.InRange(share, budget * 0.8, budget * 1.02);
        Assert.True(run.Spun > 0 && run.Slept > 0, $"spun {run.Spun}, slept {run.Slept}");

        // The policy's own account agrees with the simulation's.
        // The policy's own account agrees with the simulation's, but for the last step of each spin (the loop
        // found work then, and the policy cannot tell when).
        Assert.InRange(policy.Budget.SpunTicks, run.SpinTicks - (2 * Us(0.1) * run.Requests), run.SpinTicks);
    }

    [Fact]
    public void A_budget_saved_while_idle_is_spent_at_most_once()
    {
        // After a long idle stretch, a burst of back-to-back waits spins what the budget saved, at most a window's
        // share (2 ms * 10%), and then only what it earns during the burst (10% of it).
        var policy = new AdaptivePolicy(Options(0.1));
        policy.Decide(s_start, s_start, 0, 0, new CompletionLatencyEstimator());
        policy.AfterSleep(new IdleDecision(IdleAction.Sleep), s_start, s_start + Us(1_000_000), slept: true);
        Simulation run = Simulate(policy, Latency(Us(20)), periodUs: 21, waitUs: 20, requests: 200, start: s_start + Us(1_000_000));

        Assert.InRange(run.SpinTicks, Us(200), Us(200) + (long)(0.1 * run.WallTicks) + Us(1));
    }

    [Fact]
    public void With_mixed_latencies_it_spins_for_the_short_ones_and_sleeps_past_them()
    {
        // Half the offloads take 20 us, half 300 us: just after a submission the median wait is short, so it
        // spins; once the offload is older than the short ones, what is left is long, so it stops spinning.
        var policy = new AdaptivePolicy(Options(0.25));
        var latency = new CompletionLatencyEstimator();
        for (int i = 0; i < 64; i++)
        {
            latency.Record(Us(i % 2 == 0 ? 20 : 300));
        }

        Assert.Equal(IdleAction.Spin, policy.Decide(s_start + Us(1), s_start + Us(1), 1, s_start, latency).Action);
        Assert.Equal(IdleAction.Spin, policy.Decide(s_start + Us(15), s_start + Us(1), 1, s_start, latency).Action);
        Assert.NotEqual(IdleAction.Spin, policy.Decide(s_start + Us(40), s_start + Us(1), 1, s_start, latency).Action);
    }

    [Fact]
    public void A_long_wait_sleeps_on_a_timer_then_spins_within_the_budget()
    {
        var policy = new AdaptivePolicy(Options(0.1));
        CompletionLatencyEstimator latency = Latency(Us(1_000));

        IdleDecision first = policy.Decide(s_start + Us(1), s_start + Us(1), 1, s_start, latency);
        Assert.Equal(IdleAction.TimedSleep, first.Action);
        Assert.InRange(first.SleepTicks, Us(900), Us(1_000 - 20));

        long woke = s_start + Us(1) + first.SleepTicks;
        policy.AfterSleep(first, s_start + Us(1), woke, slept: true);
        Assert.Equal(IdleAction.Spin, policy.Decide(woke, s_start + Us(1), 1, s_start, latency).Action);

        // With no budget the same wait is slept through until the device wakes the loop.
        var frugal = new AdaptivePolicy(Options(0));
        Assert.Equal(IdleAction.Sleep, frugal.Decide(s_start + Us(1), s_start + Us(1), 1, s_start, latency).Action);
    }

    [Fact]
    public void A_wait_long_enough_for_a_timer_is_not_spun_whatever_the_budget()
    {
        // 150 us: under MaxSpin, but past MinTimedSleep plus the wake margin, so a timer does the waiting.
        var policy = new AdaptivePolicy(Options(1));

        Assert.Equal(IdleAction.TimedSleep, policy.Decide(s_start + Us(1), s_start + Us(1), 1, s_start, Latency(Us(150))).Action);
    }

    [Fact]
    public void An_unpredictable_long_wait_is_slept_through_until_the_device_wakes_the_loop()
    {
        // Offloads from 50 to 800 us, evenly spread: a timer could not end near the completion, and spinning from
        // the early end to the late end would far exceed MaxSpin, so it neither spins nor sleeps on a timer.
        var policy = new AdaptivePolicy(Options(1));
        var latency = new CompletionLatencyEstimator();
        for (int i = 0; i < 128; i++)
        {
            latency.Record(Us(50 + (750.0 * i / 127)));
        }

        Assert.Equal(IdleAction.Sleep, policy.Decide(s_start + Us(1), s_start + Us(1), 1, s_start, latency).Action);
    }

    [Fact]
    public void The_budget_refills_at_its_share_and_holds_at_most_a_window()
    {
        var budget = new SpinBudget(0.1, Us(2_000));
        budget.Advance(s_start, spinning: false);
        Assert.True(budget.CanAfford(Us(200)));
        Assert.False(budget.CanAfford(Us(201)));

        budget.Advance(s_start + Us(200), spinning: true); // spent 200 us, refilled 20 us
        Assert.InRange(budget.Available, Us(19), Us(21));

        budget.Advance(s_start + Us(1_200), spinning: false); // 1 ms later: 100 us more
        Assert.InRange(budget.Available, Us(119), Us(121));

        budget.Advance(s_start + Us(100_000), spinning: false); // never more than the window's share
        Assert.InRange(budget.Available, Us(199), Us(201));
        Assert.Equal(Us(200), budget.SpunTicks);
    }

    /// <summary>
    /// A loop that every <paramref name="periodUs"/> submits one offload completing <paramref name="waitUs"/>
    /// later, and is otherwise idle; it asks the policy every 0.1 us while idle and carries out the decision.
    /// </summary>
    private static Simulation Simulate(AdaptivePolicy policy, CompletionLatencyEstimator latency, int periodUs, int waitUs, int requests, long start = 0)
    {
        long now = start == 0 ? s_start : start;
        long begin = now;
        var run = new Simulation { Requests = requests };
        for (int r = 0; r < requests; r++)
        {
            long submitted = now;
            long done = submitted + Us(waitUs);
            long idleSince = now;
            bool spunThisOne = false;
            bool sleptThisOne = false;
            while (now < done)
            {
                IdleDecision decision = policy.Decide(now, idleSince, 1, submitted, latency);
                if (decision.Action == IdleAction.Spin)
                {
                    long step = Math.Min(done, now + Us(0.1));
                    run.SpinTicks += step - now;
                    now = step;
                    spunThisOne = true;
                }
                else
                {
                    // Armed: the completion ends any sleep.
                    long until = decision.Action == IdleAction.TimedSleep ? Math.Min(done, now + decision.SleepTicks) : done;
                    policy.AfterSleep(decision, now, until, slept: true);
                    now = until;
                    sleptThisOne = true;
                }
            }

            run.Spun += spunThisOne && !sleptThisOne ? 1 : 0;
            run.Slept += sleptThisOne ? 1 : 0;

            // The continuation runs, then the loop idles with nothing in flight until the next request.
            now += Us(1);
            long next = submitted + Us(periodUs);
            idleSince = now;
            while (now < next)
            {
                IdleDecision decision = policy.Decide(now, idleSince, 0, submitted, latency);
                if (decision.Action == IdleAction.Spin)
                {
                    long step = Math.Min(next, now + Us(0.1));
                    run.SpinTicks += step - now;
                    now = step;
                }
                else
                {
                    policy.AfterSleep(decision, now, next, slept: true);
                    now = next;
                }
            }
        }

        run.WallTicks = now - begin;
        return run;
    }

    private static CompletionLatencyEstimator Latency(long ticks)
    {
        var latency = new CompletionLatencyEstimator();
        for (int i = 0; i < 16; i++)
        {
            latency.Record(ticks);
        }

        return latency;
    }

    private static long Us(double microseconds) => (long)(microseconds * Stopwatch.Frequency / 1_000_000);

    private sealed class Simulation
    {
        public int Requests { get; init; }

        public int Spun { get; set; }

        public int Slept { get; set; }

        public long SpinTicks { get; set; }

        public long WallTicks { get; set; }
    }
}
