namespace Interlude.Harness.Workload;

/// <summary>
/// Closed loop: N workers, each issuing its next request as soon as the last one completes; warms up and
/// measures for set periods.
/// </summary>
public sealed class ClosedLoopLoadGenerator : LoadGenerator
{
    public ClosedLoopLoadGenerator(IRequestHandler handler, WorkloadSettings settings, SimulatedAccelerator device)
        : base(handler, settings, device)
    {
    }

    private protected override LoadWorker[] CreateWorkers(LoadPhase phase)
    {
        var workers = new LoadWorker[Settings.Concurrency];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = new LoadWorker(Handler, phase, i, workers.Length);
        }

        return workers;
    }

    private protected override Task WarmUpAsync(Task running, CancellationToken cancellationToken)
        => WhileRunningAsync(running, Settings.WarmUp, cancellationToken);

    private protected override Task MeasureAsync(Task running, CancellationToken cancellationToken)
        => WhileRunningAsync(running, Settings.Duration, cancellationToken);
}
