using System.Diagnostics;
using Interlude.Devices;

namespace Interlude;

/// <summary>
/// An accelerator simulated by device threads: each operation occupies a lane for a service time drawn from
/// <see cref="SimulatedAcceleratorOptions.ServiceTime"/>, optionally running a real work function on the device
/// thread, and completes when that time has passed (or when the work function returns, if later).
/// </summary>
public sealed class SimulatedAccelerator : Accelerator
{
    /// <summary>Creates the device and starts its threads.</summary>
    /// <exception cref="ArgumentException">An option is out of range (the exception names it).</exception>
    public SimulatedAccelerator(SimulatedAcceleratorOptions? options = null)
        : base("simulated", options ??= new SimulatedAcceleratorOptions())
    {
        Options = options;
        var workers = new DeviceWorker[options.Threads];
        for (int i = 0; i < workers.Length; i++)
        {
            int lanes = (options.Lanes / options.Threads) + (i < options.Lanes % options.Threads ? 1 : 0);
            int? core = options.Cores is { } cores ? cores[i % cores.Count] : null;
            workers[i] = new SimulatedWorker(this, i, core, lanes, options);
        }

        StartWorkers(workers);
    }

    /// <summary>The options the device was created with.</summary>
    public SimulatedAcceleratorOptions Options { get; }

    /// <summary>An offload that only takes the device's service time (no work function).</summary>
    public ValueTask SubmitAsync(CancellationToken cancellationToken = default) => SubmitAsync(argument: 0, cancellationToken);

    /// <summary>
    /// An offload that takes <paramref name="serviceTime"/> on the device instead of a time drawn from
    /// <see cref="SimulatedAcceleratorOptions.ServiceTime"/> (no work function).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="serviceTime"/> is negative.</exception>
    public ValueTask SubmitAsync(TimeSpan serviceTime, CancellationToken cancellationToken = default)
        => SubmitAsync(EncodeServiceTicks(serviceTime), cancellationToken);

    /// <summary>A worker's view of an operation's argument: its own service time in ticks, if it was given one.</summary>
    internal static bool TryDecodeServiceTicks(long argument, out long ticks)
    {
        ticks = argument - 1;
        return argument != 0;
    }

    /// <summary>The argument carrying <paramref name="serviceTime"/>: its ticks plus one (0 means "draw one").</summary>
    private static long EncodeServiceTicks(TimeSpan serviceTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(serviceTime, TimeSpan.Zero);
        return (long)Math.Min(serviceTime.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4) + 1;
    }
}
