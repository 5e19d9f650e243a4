namespace Interlude;

/// <summary>Configuration of a <see cref="SimulatedAccelerator"/>: lanes that each hold an operation for its service time.</summary>
public sealed class SimulatedAcceleratorOptions : AcceleratorOptions
{
    /// <summary>Creates the options with the simulated device's defaults (among them an idle spin of 1 millisecond).</summary>
    public SimulatedAcceleratorOptions() => IdleSpin = TimeSpan.FromMilliseconds(1);

    /// <summary>Per-operation service time.</summary>
    /// <remarks>Defaults to a fixed 10 microseconds.</remarks>
    public ServiceTime ServiceTime { get; set; } = ServiceTime.Fixed(TimeSpan.FromMicroseconds(10));

    /// <summary>Operations the device serves in parallel, over all its threads; more wait in the rings.</summary>
    /// <remarks>Defaults to 64.</remarks>
    public int Lanes { get; set; } = 64;

    /// <summary>Seed of the service-time and error draws, so runs repeat.</summary>
    /// <remarks>Defaults to 1.</remarks>
    public int Seed { get; set; } = 1;

    /// <summary>Probability that the device fails an operation with <see cref="AcceleratorException"/>.</summary>
    /// <remarks>Defaults to 0.</remarks>
    public double ErrorRate { get; set; }

    /// <inheritdoc/>
    protected override int MaxThreads => 64;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        ArgumentNullException.ThrowIfNull(ServiceTime, nameof(ServiceTime));
        if (Lanes < Threads)
        {
            throw new ArgumentOutOfRangeException(nameof(Lanes), Lanes, "Lanes must be at least Threads (each thread serves at least one lane).");
        }

        if (ErrorRate is < 0 or > 1 || double.IsNaN(ErrorRate))
        {
            throw new ArgumentOutOfRangeException(nameof(ErrorRate), ErrorRate, "ErrorRate must be between 0 and 1.");
        }
    }
}
