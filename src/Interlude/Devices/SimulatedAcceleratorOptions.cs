namespace Interlude;

/// <summary>Configuration of a <see cref="SimulatedAccelerator"/>.</summary>
public sealed class SimulatedAcceleratorOptions
{
    /// <summary>Per-operation service time.</summary>
    /// <remarks>Defaults to a fixed 10 microseconds.</remarks>
    public ServiceTime ServiceTime { get; set; } = ServiceTime.Fixed(TimeSpan.FromMicroseconds(10));

    /// <summary>Operations the device serves in parallel, over all its threads; more wait in the rings.</summary>
    /// <remarks>Defaults to 64.</remarks>
    public int Lanes { get; set; } = 64;

    /// <summary>Device threads. Each serves a share of the lanes and of the loops' channels.</summary>
    /// <remarks>Defaults to 1.</remarks>
    public int Threads { get; set; } = 1;

    /// <summary>Cores to pin the device threads to, in order; null leaves them unpinned.</summary>
    /// <remarks>Defaults to null.</remarks>
    public IReadOnlyList<int>? Cores { get; set; }

    /// <summary>Seed of the service-time and error draws, so runs repeat.</summary>
    /// <remarks>Defaults to 1.</remarks>
    public int Seed { get; set; } = 1;

    /// <summary>Probability that the device fails an operation with <see cref="AcceleratorException"/>.</summary>
    /// <remarks>Defaults to 0.</remarks>
    public double ErrorRate { get; set; }

    /// <summary>Operations one loop may have outstanding before its submissions wait (a power of two).</summary>
    /// <remarks>Defaults to 1,024.</remarks>
    public int RingCapacity { get; set; } = 1024;

    /// <summary>How long an idle device thread spins before it sleeps; infinite keeps it spinning like hardware.</summary>
    /// <remarks>Defaults to 1 millisecond.</remarks>
    public TimeSpan IdleSpin { get; set; } = TimeSpan.FromMilliseconds(1);

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(ServiceTime, nameof(ServiceTime));
        if (Threads < 1 || Threads > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be between 1 and 64.");
        }

        if (Lanes < Threads)
        {
            throw new ArgumentOutOfRangeException(nameof(Lanes), Lanes, "Lanes must be at least Threads (each thread serves at least one lane).");
        }

        if (ErrorRate is < 0 or > 1 || double.IsNaN(ErrorRate))
        {
            throw new ArgumentOutOfRangeException(nameof(ErrorRate), ErrorRate, "ErrorRate must be between 0 and 1.");
        }

        if (IdleSpin < TimeSpan.Zero && IdleSpin != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleSpin), IdleSpin, "IdleSpin must be non-negative or infinite.");
        }

        if (Cores is not null && (Cores.Count == 0 || Cores.Any(c => c < 0)))
        {
            throw new ArgumentException("Cores, when given, must list non-negative core numbers.", nameof(Cores));
        }

        Native.CpuAffinity.ValidateCores(Cores, nameof(Cores));
    }
}
