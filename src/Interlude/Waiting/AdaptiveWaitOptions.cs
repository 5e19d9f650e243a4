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

    internal void Validate()
    {
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
