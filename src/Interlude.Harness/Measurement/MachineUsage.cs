namespace Interlude.Harness.Measurement;

/// <summary>
/// Busy time of the whole machine, every process together, from /proc/stat: subtracting this process's own CPU
/// time tells how much of the machine other processes took during a run, which on a shared machine explains
/// results better than anything measured inside the process.
/// </summary>
/// <param name="BusyTime">Time any CPU spent not idle (user, nice, system, irq, softirq, steal).</param>
/// <param name="StealTime">Time the hypervisor ran something else on this machine's virtual CPUs.</param>
public readonly record struct MachineUsage(TimeSpan BusyTime, TimeSpan StealTime)
{
    // The kernel reports /proc/stat in USER_HZ, which is 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    public static bool IsAvailable => OperatingSystem.IsLinux() && File.Exists("/proc/stat");

    public static MachineUsage Read()
    {
        if (!IsAvailable)
        {
            return default;
        }

        try
        {
            using var reader = new StreamReader("/proc/stat");
            string? line = reader.ReadLine();

            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is inside user.
            string[] fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (fields.Length < 9 || fields[0] != "cpu")
            {
                return default;
            }

            long Field(int index) => long.Parse(fields[index], System.Globalization.CultureInfo.InvariantCulture);
            long busy = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
            return new MachineUsage(TimeSpan.FromSeconds(busy / TicksPerSecond), TimeSpan.FromSeconds(Field(8) / TicksPerSecond));
        }
        catch (Exception ex) when (ex is IOException or FormatException or OverflowException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    public static MachineUsage operator -(MachineUsage after, MachineUsage before)
        => new(after.BusyTime - before.BusyTime, after.StealTime - before.StealTime);
}
