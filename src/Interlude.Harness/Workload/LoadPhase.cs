namespace Interlude.Harness.Workload;

/// <summary>
/// Where a run is: warming up (requests not counted), measuring, or stopped (workers finish their request and
/// end). Written twice per run by the controlling thread, read by every worker after every request.
/// </summary>
public sealed class LoadPhase
{
    public const int WarmingUp = 0;
    public const int Measuring = 1;
    public const int Stopped = 2;

    private volatile int _current = WarmingUp;

    public int Current => _current;

    public void StartMeasuring() => _current = Measuring;

    public void Stop() => _current = Stopped;
}
