using Interlude.Diagnostics;
namespace Interlude.Cli.Measurement;

/// <summary>
/// Reads the resource usage of the simulated device's thread. The device spins like hardware, so it burns a
/// whole core whatever the application does; subtracting it from the process total leaves what the
/// application itself costs.
/// </summary>
/// <remarks>
/// getrusage(RUSAGE_THREAD) only reads the calling thread, so the read is submitted to the device as a work
/// function: the device runs work functions on its own thread. The device in the demo has one thread.
/// </remarks>
internal static class DeviceThreadUsage
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    internal static async Task<ResourceUsage> ReadAsync(SimulatedAccelerator device, CancellationToken cancellationToken)
    {
        if (!ResourceUsage.IsAvailable)
        {
            return default;
        }

        return await device
            .SubmitAsync(static (byte _) => ResourceUsage.ReadCurrentThread(), (byte)0, cancellationToken)
            .AsTask()
            .WaitAsync(s_timeout, cancellationToken)
            .ConfigureAwait(false);
    }
}
