using System.Globalization;

namespace Interlude.Harness.Db;

/// <summary>
/// Another process's CPU time and context switches, read from /proc (Linux; elsewhere both read as zero and the
/// report says so by printing zeros).
/// </summary>
/// <param name="CpuSeconds">User + system time of all its threads, those that have exited included (/proc/PID/stat).</param>
/// <param name="SwitchesByThread">Voluntary + involuntary switches of each live thread, by thread id (/proc/PID/task/*/status).</param>
public readonly record struct ProcessUsage(double CpuSeconds, IReadOnlyDictionary<int, long> SwitchesByThread)
{
    /// <summary>Clock ticks per second of /proc's times (USER_HZ, 100 on every Linux architecture .NET runs on).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Reads <paramref name="pid"/>'s usage now.</summary>
    public static ProcessUsage Read(int pid)
    {
        var switches = new Dictionary<int, long>();
        if (!OperatingSystem.IsLinux())
        {
            return new ProcessUsage(0, switches);
        }

        try
        {
            double cpu = CpuFromStat(File.ReadAllText($"/proc/{pid}/stat"));
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    switches[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = SwitchesFromStatus(File.ReadAllText(Path.Combine(task, "status")));
                }
                catch (IOException)
                {
                    // The thread ended between the listing and the read.
                }
            }

            return new ProcessUsage(cpu, switches);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ProcessUsage(0, switches);
        }
    }

    /// <summary>User + system seconds from a /proc/PID/stat line (fields 14 and 15, counted after the command's closing parenthesis).</summary>
    public static double CpuFromStat(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        int close = stat.LastIndexOf(')');
        string[] fields = stat[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        long user = long.Parse(fields[11], CultureInfo.InvariantCulture);
        long system = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (user + system) / TicksPerSecond;
    }

    /// <summary>voluntary_ctxt_switches + nonvoluntary_ctxt_switches from a /proc status file.</summary>
    public static long SwitchesFromStatus(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        long total = 0;
        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                total += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    /// <summary>
    /// CPU seconds and context switches from <paramref name="before"/> to <paramref name="after"/>: the switches of
    /// every thread alive at the end, less what it had at the start (all of them for a thread started since). A
    /// thread that ended in between takes its switches with it, so the count can be short, never negative.
    /// </summary>
    public static (double CpuSeconds, long ContextSwitches) Between(ProcessUsage before, ProcessUsage after)
    {
        ArgumentNullException.ThrowIfNull(before.SwitchesByThread);
        ArgumentNullException.ThrowIfNull(after.SwitchesByThread);
        long switches = 0;
        foreach ((int thread, long count) in after.SwitchesByThread)
        {
            switches += count - before.SwitchesByThread.GetValueOrDefault(thread);
        }

        return (after.CpuSeconds - before.CpuSeconds, switches);
    }
}
