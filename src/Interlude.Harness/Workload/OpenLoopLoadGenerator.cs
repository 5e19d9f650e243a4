using System.Diagnostics;

namespace Interlude.Harness.Workload;

/// <summary>
/// Open loop: Poisson arrivals at a target rate over the warm-up and the measured period, served by at most N
/// workers at once. Latency counts from each arrival's scheduled time, so a mode that falls behind shows it as
/// latency (no coordinated omission). Arrivals scheduled in the warm-up are not counted. The measured period
/// ends when the schedule has been served, or, for a mode too slow to catch up, one more duration (at least a
/// second) after its end; arrivals not started by then are dropped.
/// </summary>
public sealed class OpenLoopLoadGenerator : LoadGenerator
{
    // A short run on a busy machine may not even start serving within one duration; this keeps it from measuring nothing.
    private static readonly TimeSpan s_minimumGrace = TimeSpan.FromSeconds(1);

    private ArrivalSchedule? _arrivals;

    public OpenLoopLoadGenerator(IRequestHandler handler, WorkloadSettings settings, SimulatedAccelerator device)
        : base(handler, settings, device)
    {
        if (settings.RateRps is not > 0)
        {
            throw new ArgumentException("An open loop needs a positive arrival rate.", nameof(settings));
        }
    }

    private protected override LoadWorker[] CreateWorkers(LoadPhase phase)
    {
        // A fresh schedule per run, from the same seed: every mode serves the same arrivals.
        var arrivals = new ArrivalSchedule(Settings.RateRps!.Value, Settings.WarmUp, Settings.Duration);
        _arrivals = arrivals;
        var workers = new LoadWorker[Settings.Concurrency];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = new LoadWorker(Handler, phase, arrivals);
        }

        return workers;
    }

    private protected override void OnStarting() => _arrivals!.Start();

    // Both periods are timed from the schedule's origin, not from when the previous step returned: starting the
    // workers can take a while (a thread per request), and the measured period must be the one the counted
    // arrivals fall in.
    private protected override Task WarmUpAsync(Task running, CancellationToken cancellationToken)
        => UntilAsync(Settings.WarmUp, running, cancellationToken);

    private protected override Task MeasureAsync(Task running, CancellationToken cancellationToken)
        => UntilAsync(Settings.WarmUp + Settings.Duration + (Settings.Duration > s_minimumGrace ? Settings.Duration : s_minimumGrace), running, cancellationToken);

    /// <summary>
    /// Waits until <paramref name="offset"/> after the schedule's origin, or until the workers end: they end on
    /// their own once the schedule is served.
    /// </summary>
    private async Task UntilAsync(TimeSpan offset, Task running, CancellationToken cancellationToken)
    {
        TimeSpan remaining = offset - Stopwatch.GetElapsedTime(_arrivals!.Origin);
        if (remaining > TimeSpan.Zero)
        {
            await Task.WhenAny(Task.Delay(remaining, cancellationToken), running).ConfigureAwait(false);
        }

        if (running.IsCompleted)
        {
            await running.ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
