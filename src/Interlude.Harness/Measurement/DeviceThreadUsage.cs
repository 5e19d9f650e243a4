using System.Globalization;

namespace Interlude.Harness.Measurement;

/// <summary>
/// Reads the CPU time and context switches of the simulated device's thread. The device spins like hardware,
/// so it burns a whole core whatever the application does; subtracting it from the process total leaves what
/// the application itself costs.
/// </summary>
/// <remarks>
/// The two readings must be taken at the same instant as the process's, or the device's full core over the gap
/// between them is charged to the application (over a short window, enough to make the result negative). So
/// the thread is located once, by a work function that runs on it, and then read from any thread through
/// /proc/self/task/TID: schedstat (nanoseconds on the CPU) and status (context switches). The device in the
/// demo has one thread.
/// </remarks>
public sealed class DeviceThreadUsage
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    private readonly string? _taskDirectory;

    private DeviceThreadUsage(string? taskDirectory) => _taskDirectory = taskDirectory;

    private static readonly Func<byte, string?> s_whereAmI
        = static _ => new DirectoryInfo("/proc/thread-self").ResolveLinkTarget(returnFinalTarget: true)?.FullName;

    /// <summary>Finds the device's thread; readings are zero where /proc is unavailable.</summary>
    public static Task<DeviceThreadUsage> LocateAsync(SimulatedAccelerator device, CancellationToken cancellationToken)
        => LocateAsync(() => device.SubmitAsync(s_whereAmI, (byte)0, cancellationToken), cancellationToken);

    /// <summary>Finds the thread of a one-thread CPU engine; readings are zero where /proc is unavailable.</summary>
    public static Task<DeviceThreadUsage> LocateAsync(CpuAccelerator device, CancellationToken cancellationToken)
        => LocateAsync(() => device.SubmitAsync(s_whereAmI, (byte)0, cancellationToken), cancellationToken);

    private static async Task<DeviceThreadUsage> LocateAsync(Func<ValueTask<string?>> askDevice, CancellationToken cancellationToken)
    {
        if (!ResourceUsage.IsAvailable || !Directory.Exists("/proc/thread-self"))
        {
            return new DeviceThreadUsage(null);
        }

        // Forced to yield: on a device with inline completions the answer completes on the device thread, and the
        // caller's next steps (starting a run) must not run there and hold up the device.
        string? directory = await askDevice().AsTask().WaitAsync(s_timeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        return new DeviceThreadUsage(directory);
    }

    /// <summary>Reads Linux thread <paramref name="osThreadId"/> of this process; readings are zero where /proc is unavailable.</summary>
    public static DeviceThreadUsage ForThread(int osThreadId)
    {
        string directory = $"/proc/self/task/{osThreadId}";
        return new DeviceThreadUsage(ResourceUsage.IsAvailable && osThreadId > 0 && Directory.Exists(directory) ? directory : null);
    }

    /// <summary>The thread's usage now. Any thread.</summary>
    public ResourceUsage Read()
    {
        if (_taskDirectory is null)
        {
            return default;
        }

        string schedstat = File.ReadAllText(Path.Combine(_taskDirectory, "schedstat"));
        long onCpuNs = long.Parse(schedstat.AsSpan(0, schedstat.IndexOf(' ')), CultureInfo.InvariantCulture);
        long voluntary = 0;
        long involuntary = 0;
        foreach (string line in File.ReadLines(Path.Combine(_taskDirectory, "status")))
        {
            if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                voluntary = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                involuntary = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return new ResourceUsage(TimeSpan.FromTicks(onCpuNs / 100), voluntary, involuntary);
    }
}
