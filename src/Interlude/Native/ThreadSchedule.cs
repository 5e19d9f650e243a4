using System.Globalization;

namespace Interlude.Native;

/// <summary>
/// How the kernel has scheduled one thread of this process (Linux <c>/proc/self/task/TID/schedstat</c>): time it
/// ran on a CPU, and time it was runnable but waited for one. The rest of a period it slept (blocked). Read from
/// another thread, rarely (the stall detector, once it suspects a stall); it allocates.
/// </summary>
internal static class ThreadSchedule
{
    /// <summary>Whether the counters can be read (Linux with schedstat).</summary>
    internal static bool TryRead(int osThreadId, out long onCpuNs, out long waitingNs)
    {
        onCpuNs = 0;
        waitingNs = 0;
        if (!OperatingSystem.IsLinux() || osThreadId <= 0)
        {
            return false;
        }

        try
        {
            string[] fields = File.ReadAllText($"/proc/self/task/{osThreadId}/schedstat").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 2
                && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out onCpuNs)
                && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out waitingNs);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
