namespace Interlude.Harness.Workload;

/// <summary>The outcome of <see cref="CpuWorkCalibrator.Calibrate"/>.</summary>
/// <param name="Work">The work whose cost is closest to the target.</param>
/// <param name="TargetNs">The cost asked for.</param>
/// <param name="MeasuredNs">The cost of <paramref name="Work"/> as measured at the end of calibration.</param>
/// <param name="FloorNs">The cheapest the work can be: one hashing call over no data.</param>
public sealed record CpuWorkCalibration(CpuWork Work, double TargetNs, double MeasuredNs, double FloorNs)
{
    /// <summary>The target is below what one hashing call costs, so the work is as cheap as it can be and dearer than asked.</summary>
    public bool TargetBelowFloor => Work.Bytes == 0 && TargetNs < FloorNs;
}
