namespace CustomDevice;

/// <summary>Configuration of a <see cref="FlagDevice"/>.</summary>
public sealed class FlagDeviceOptions
{
    /// <summary>Operations one loop may have in the device's queue; more wait on the loop (a power of two).</summary>
    /// <remarks>Defaults to 1,024.</remarks>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>The core the device thread is pinned to; null leaves it unpinned.</summary>
    /// <remarks>Defaults to null.</remarks>
    public int? Core { get; set; }

    /// <summary>How long the idle device thread spins before it sleeps; infinite keeps it spinning, like hardware.</summary>
    /// <remarks>Defaults to 1 millisecond.</remarks>
    public TimeSpan IdleSpin { get; set; } = TimeSpan.FromMilliseconds(1);

    internal void Validate()
    {
        if (QueueCapacity < 2 || (QueueCapacity & (QueueCapacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "QueueCapacity must be a power of two >= 2.");
        }

        if (IdleSpin < TimeSpan.Zero && IdleSpin != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleSpin), IdleSpin, "IdleSpin must be non-negative or infinite.");
        }

        if (Core is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Core), Core, "Core must be non-negative.");
        }
    }
}
