namespace Interlude.Cuda;

/// <summary>Options of a <see cref="CudaDevice"/>.</summary>
public sealed class CudaDeviceOptions
{
    /// <summary>Which GPU (cuDeviceGet's ordinal). Default 0.</summary>
    public int DeviceOrdinal { get; set; }

    /// <summary>How loops learn of completions. Default <see cref="CudaCompletionMode.MappedFlag"/>.</summary>
    public CudaCompletionMode Completion { get; set; } = CudaCompletionMode.MappedFlag;

    /// <summary>The primary context's scheduling flag, for threads that wait in the driver. Default <see cref="CudaScheduling.Auto"/>.</summary>
    public CudaScheduling Scheduling { get; set; } = CudaScheduling.Auto;

    /// <summary>Submissions in flight on one loop's stream at most; a power of two from 1 to 65,536. Default 256.</summary>
    public int MaxInFlightPerLoop { get; set; } = 256;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (DeviceOrdinal < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DeviceOrdinal), DeviceOrdinal, "The device ordinal cannot be negative.");
        }

        if (!Enum.IsDefined(Completion))
        {
            throw new ArgumentOutOfRangeException(nameof(Completion), Completion, "Unknown completion mode.");
        }

        if (!Enum.IsDefined(Scheduling))
        {
            throw new ArgumentOutOfRangeException(nameof(Scheduling), Scheduling, "Unknown scheduling flag.");
        }

        if (MaxInFlightPerLoop is < 1 or > 65_536 || (MaxInFlightPerLoop & (MaxInFlightPerLoop - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInFlightPerLoop), MaxInFlightPerLoop, "A power of two from 1 to 65,536.");
        }
    }
}
