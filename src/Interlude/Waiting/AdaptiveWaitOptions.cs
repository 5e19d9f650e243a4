namespace Interlude;

/// <summary>Parameters of <see cref="WaitStrategy.Adaptive"/>; see docs/design/runtime.md for the policy.</summary>
public sealed class AdaptiveWaitOptions
{
    /// <summary>How long an idle loop with no offload in flight spins before it sleeps.</summary>
    /// <remarks>Defaults to 20 microseconds.</remarks>
    public TimeSpan IdleSpin { get; set; } = TimeSpan.FromMicroseconds(20);

    /// <summary>The longest a loop with offloads in flight spins before it sleeps.</summary>
    /// <remarks>Defaults to 200 microseconds: past that, a wake (tens of microseconds) costs less than spinning.</remarks>
    public TimeSpan MaxSpin { get; set; } = TimeSpan.FromMicroseconds(200);

    /// <summary>The shortest spin window while offloads are in flight.</summary>
    /// <remarks>Defaults to 2 microseconds.</remarks>
    public TimeSpan MinSpin { get; set; } = TimeSpan.FromMicroseconds(2);

    /// <summary>The window is the mean completion latency plus this many mean absolute deviations.</summary>
    /// <remarks>Defaults to 2.</remarks>
    public double DeviationFactor { get; set; } = 2.0;

    /// <summary>
    /// The shortest timed sleep: when the next completion is expected far enough away that the loop could sleep
    /// this long and still wake the wake margin before it (<c>InitialWakeMargin</c>, then the learned lateness of
    /// such timers), it sleeps on a timer and then spins, instead of spinning or sleeping until woken.
    /// </summary>
    /// <remarks>Defaults to 50 microseconds: shorter sleeps cost about as much as they save.</remarks>
    public TimeSpan MinTimedSleep { get; set; } = TimeSpan.FromMicroseconds(50);

    /// <summary>How early a timed sleep ends before the expected completion, until the loop has measured its timers.</summary>
    /// <remarks>Defaults to 20 microseconds.</remarks>
    public TimeSpan InitialWakeMargin { get; set; } = TimeSpan.FromMicroseconds(20);

    /// <summary>In interrupt mode (low load), the longest a loop spins for a completion before it sleeps.</summary>
    /// <remarks>
    /// Defaults to 10 microseconds, about the CPU a sleep and a wake cost: a loop at low load spins only where that
    /// saves CPU as well as time, and otherwise sleeps and lets the device wake it.
    /// </remarks>
    public TimeSpan MaxInterruptSpin { get; set; } = TimeSpan.FromMicroseconds(10);

    /// <summary>The busy fraction at or above which a loop turns to polling mode (it spins past its spin window).</summary>
    /// <remarks>Defaults to 0.5.</remarks>
    public double EnterPollingLoad { get; set; } = 0.5;

    /// <summary>The busy fraction at or below which a loop in polling mode turns back to interrupt mode.</summary>
    /// <remarks>Defaults to 0.25; the gap to <see cref="EnterPollingLoad"/> keeps the mode from flapping.</remarks>
    public double ExitPollingLoad { get; set; } = 0.25;

    /// <summary>The time over which the busy fraction is measured before it is averaged in.</summary>
    /// <remarks>Defaults to 1 millisecond.</remarks>
    public TimeSpan LoadWindow { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The share of its core (0 to 1) a loop may spend spinning for completions instead of sleeping, measured over
    /// <see cref="SpinBudgetWindow"/>.
    /// </summary>
    /// <remarks>
    /// Defaults to 0.1. A wait the loop expects to end within MaxSpin is spun through when the budget holds it,
    /// which saves the wake of a sleeping core (tens of microseconds on a virtual machine); a wait that comes too
    /// often to fit is slept through. 0 never spins for a completion; 1 spins whenever a spin is expected to pay.
    /// Above <see cref="EnterPollingLoad"/> the loop polls and its spin is charged to the budget.
    /// </remarks>
    public double SpinBudget { get; set; } = 0.1;

    /// <summary>The time over which <see cref="SpinBudget"/> is enforced: a loop may save up at most this window's share.</summary>
    /// <remarks>Defaults to 2 milliseconds.</remarks>
    public TimeSpan SpinBudgetWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    internal void Validate()
    {
        if (!(SpinBudget >= 0 && SpinBudget <= 1))
        {
            throw new ArgumentException($"AdaptiveWaitOptions.SpinBudget must be a share of the core from 0 to 1; it is {SpinBudget}.");
        }

        if (SpinBudgetWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException($"AdaptiveWaitOptions.SpinBudgetWindow must be positive; it is {SpinBudgetWindow}.");
        }

        if (MinTimedSleep < TimeSpan.Zero || InitialWakeMargin < TimeSpan.Zero || MaxInterruptSpin < TimeSpan.Zero || LoadWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException("AdaptiveWaitOptions needs MinTimedSleep, InitialWakeMargin and MaxInterruptSpin >= 0, and LoadWindow > 0.");
        }

        if (!(ExitPollingLoad >= 0 && ExitPollingLoad <= EnterPollingLoad && EnterPollingLoad <= 1))
        {
            throw new ArgumentException("AdaptiveWaitOptions needs 0 <= ExitPollingLoad <= EnterPollingLoad <= 1.");
        }

        if (IdleSpin < TimeSpan.Zero || MinSpin < TimeSpan.Zero || MaxSpin < MinSpin)
        {
            throw new ArgumentException("AdaptiveWaitOptions needs 0 <= MinSpin <= MaxSpin and IdleSpin >= 0.");
        }

        if (DeviationFactor < 0 || double.IsNaN(DeviationFactor))
        {
            throw new ArgumentException("AdaptiveWaitOptions.DeviationFactor must be >= 0.");
        }
    }
}
