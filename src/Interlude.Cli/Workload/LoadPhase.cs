namespace Interlude.Cli.Workload;

/// <summary>
/// Where a run is: warming up (requests not counted), measuring, or stopped (workers finish their request and
/// end). Written twice per run by the controlling thread, read by every worker after every request.
/// </summary>
internal sealed class LoadPhase
{
    internal const int WarmingUp = 0;
    internal const int Measuring = 1;
    internal const int Stopped = 2;

    private volatile int _current = WarmingUp;

    internal int Current => _current;

    internal void StartMeasuring() => _current = Measuring;

    internal void Stop() => _current = Stopped;
}
