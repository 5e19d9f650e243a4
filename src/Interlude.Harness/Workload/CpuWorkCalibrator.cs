using Interlude.Harness.Measurement;

namespace Interlude.Harness.Workload;

/// <summary>Finds the number of bytes to hash so that one <see cref="CpuWork.Run"/> costs a target time on this machine.</summary>
public static class CpuWorkCalibrator
{
    private const int BlockBytes = 64;
    private const int ProbeBytes = 16 * 1024;
    private const int MaxBytes = 1 << 30;
    private const int RefineRounds = 4;
    private const int Attempts = 3;

    // The calibration aims at the work's cost on an otherwise idle core: the fastest batches are the ones nothing
    // else interrupted, such as the build that "dotnet run" is still winding down as the program starts.
    private const double UncontendedQuantile = 0.1;

    /// <summary>
    /// Calibrates <see cref="Attempts"/> times and keeps the median byte count: one attempt that a burst of
    /// other work slowed down would otherwise set the cost for the whole run.
    /// </summary>
    public static CpuWorkCalibration Calibrate(double targetNs, TimeSpan budgetPerSample)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetNs);

        // Warm the hashing path (JIT tiers, the crypto library's first-use set-up) before timing anything.
        WorkCostProbe.MeasureNs(new CpuWork(ProbeBytes).Run, budgetPerSample, UncontendedQuantile);

        var attempts = new CpuWorkCalibration[Attempts];
        for (int i = 0; i < attempts.Length; i++)
        {
            attempts[i] = CalibrateOnce(targetNs, budgetPerSample);
        }

        Array.Sort(attempts, static (a, b) => a.Work.Bytes.CompareTo(b.Work.Bytes));
        return attempts[Attempts / 2];
    }

    private static CpuWorkCalibration CalibrateOnce(double targetNs, TimeSpan budgetPerSample)
    {
        // The cost is close to linear in the bytes hashed: fit it on two points, then correct on the real one.
        double floorNs = Cost(0, budgetPerSample);
        double probeNs = Cost(ProbeBytes, budgetPerSample);
        double nsPerByte = Math.Max((probeNs - floorNs) / ProbeBytes, 1e-4);
        int bytes = ToBytes((targetNs - floorNs) / nsPerByte);
        double measuredNs = Cost(bytes, budgetPerSample);
        for (int round = 0; round < RefineRounds; round++)
        {
            int next = ToBytes(bytes + ((targetNs - measuredNs) / nsPerByte));
            if (next == bytes)
            {
                break;
            }

            bytes = next;
            measuredNs = Cost(bytes, budgetPerSample);
        }

        return new CpuWorkCalibration(new CpuWork(bytes), targetNs, measuredNs, floorNs);
    }

    private static double Cost(int bytes, TimeSpan budget) => WorkCostProbe.MeasureNs(new CpuWork(bytes).Run, budget, UncontendedQuantile);

    private static int ToBytes(double bytes) => (int)Math.Clamp(Math.Round(bytes / BlockBytes) * BlockBytes, 0, MaxBytes);
}
