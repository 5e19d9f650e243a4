using Interlude;

namespace CustomDevice;

/// <summary>Places the loop and the device threads, runs the alternating rounds and prints the comparison.</summary>
internal static class RaceRunner
{
    internal static async Task<int> RunAsync(RaceSettings settings)
    {
        int[] cores = CpuAffinity.AllowedCores();
        int loopCore = cores[0];
        int deviceCore = cores[^1];
        Console.WriteLine(
            $"One loop on core {loopCore}, the device thread on core {deviceCore} (spinning, like hardware); "
            + $"L = {settings.ServiceTime.TotalMicroseconds:G} us, N = {settings.Concurrency}, {settings.Rounds} alternating rounds "
            + $"of {settings.Round.TotalSeconds:G} s per device.");

        await using var loops = new LoopGroup(new LoopGroupOptions { LoopCount = 1, Cores = [loopCore] });
        var race = new DeviceRace(settings);
        var builtIn = new List<RoundResult>();
        var custom = new List<RoundResult>();
        for (int round = 0; round < settings.Rounds; round++)
        {
            using (var simulated = new SimulatedAccelerator(new SimulatedAcceleratorOptions
            {
                ServiceTime = ServiceTime.Fixed(settings.ServiceTime),
                Lanes = settings.Concurrency,
                Cores = [deviceCore],
                IdleSpin = Timeout.InfiniteTimeSpan,
            }))
            {
                builtIn.Add(await race.RunRoundAsync(loops, () => simulated.SubmitAsync()).ConfigureAwait(false));
            }

            using (var flags = new FlagDevice(new FlagDeviceOptions { Core = deviceCore, IdleSpin = Timeout.InfiniteTimeSpan }))
            {
                custom.Add(await race.RunRoundAsync(loops, () => flags.SubmitAsync(settings.ServiceTime)).ConfigureAwait(false));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"device",-28} {"offloads/s",12} {"p50 us",8} {"p99 us",8}   (medians of the rounds)");
        RoundResult a = Print("simulated (built-in)", builtIn);
        RoundResult b = Print("flag device (public API)", custom);
        Console.WriteLine(
            $"ratio flag / built-in: throughput {b.OperationsPerSecond / a.OperationsPerSecond:F3}, "
            + $"p50 {b.P50Us / a.P50Us:F3}, p99 {b.P99Us / a.P99Us:F3}");
        return 0;
    }

    private static RoundResult Print(string name, List<RoundResult> rounds)
    {
        var median = new RoundResult(
            Median(rounds.Select(r => r.OperationsPerSecond)),
            Median(rounds.Select(r => r.P50Us)),
            Median(rounds.Select(r => r.P99Us)));
        Console.WriteLine($"{name,-28} {median.OperationsPerSecond,12:N0} {median.P50Us,8:F2} {median.P99Us,8:F2}");
        return median;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
