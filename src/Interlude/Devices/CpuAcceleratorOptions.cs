namespace Interlude;

/// <summary>Configuration of a <see cref="CpuAccelerator"/>.</summary>
public sealed class CpuAcceleratorOptions
{
    /// <summary>Worker threads; each runs one work function at a time.</summary>
    /// <remarks>Defaults to 1.</remarks>
    public int Threads { get; set; } = 1;

    /// <summary>Cores to pin the workers to, in order; null leaves them unpinned.</summary>
    /// <remarks>Defaults to null.</remarks>
    public IReadOnlyList<int>? Cores { get; set; }

    /// <summary>Operations one loop may have outstanding before its submissions wait (a power of two).</summary>
    /// <remarks>Defaults to 1,024.</remarks>
    public int RingCapacity { get; set; } = 1024;

    /// <summary>How long an idle worker spins before it sleeps; infinite keeps it spinning.</summary>
    /// <remarks>Defaults to 100 microseconds.</remarks>
    public TimeSpan IdleSpin { get; set; } = TimeSpan.FromMicroseconds(100);

    internal void Validate()
    {
        if (Threads < 1 || Threads > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be between 1 and 256.");
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
