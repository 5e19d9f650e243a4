using System.Diagnostics;
using Interlude.Harness.Measurement;
using Interlude.Harness.Modes;

namespace Interlude.Harness.Workload;

/// <summary>
/// Drives one configuration: measures c, starts the workers under an execution mode, warms up, measures, stops
/// the workers, measures c again and turns the counters into a <see cref="RunResult"/>. The kind of load (closed
/// or open loop) decides the workers and when warming up and measuring end; the measurements are the same.
/// </summary>
public abstract class LoadGenerator
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_drainPerRequest = TimeSpan.FromMilliseconds(50);

    private readonly IRequestHandler _handler;
    private readonly WorkloadSettings _settings;
    private readonly SimulatedAccelerator _device;

    private protected LoadGenerator(IRequestHandler handler, WorkloadSettings settings, SimulatedAccelerator device)
    {
        _handler = handler;
        _settings = settings;
        _device = device;
    }

    private protected IRequestHandler Handler => _handler;

    private protected WorkloadSettings Settings => _settings;

    /// <summary>The workers of one run, sharing <paramref name="phase"/>.</summary>
    private protected abstract LoadWorker[] CreateWorkers(LoadPhase phase);

    /// <summary>Right before the workers start.</summary>
    private protected virtual void OnStarting()
    {
    }

    /// <summary>Completes when the warm-up is over.</summary>
    private protected abstract Task WarmUpAsync(Task running, CancellationToken cancellationToken);

    /// <summary>Completes when the measured period is over.</summary>
    private protected abstract Task MeasureAsync(Task running, CancellationToken cancellationToken);

    public async Task<RunResult> RunAsync(IExecutionMode mode, CancellationToken cancellationToken)
    {
        // c is timed on the mode's own application thread right before the load and again right after it: the
        // machine's speed drifts, and the two readings bracket the run.
        double cpuBeforeNs = await mode.MeasureCpuWorkNsAsync(_handler.RunComputeOnly, _settings.CostProbe).ConfigureAwait(false);

        var phase = new LoadPhase();
        LoadWorker[] workers = CreateWorkers(phase);

        DeviceThreadUsage deviceThread = await DeviceThreadUsage.LocateAsync(_device, cancellationToken).ConfigureAwait(false);
        OnStarting();
        Task running = mode.RunWorkersAsync(workers, _device);
        ResourceUsage deviceBefore;
        ResourceUsage deviceAfter;
        UsageSnapshot before;
        UsageSnapshot after;
        long started;
        long ended;
        try
        {
            await WarmUpAsync(running, cancellationToken).ConfigureAwait(false);

            deviceBefore = deviceThread.Read();
            before = UsageSnapshot.Take(mode);
            phase.StartMeasuring();
            started = Stopwatch.GetTimestamp();

            await MeasureAsync(running, cancellationToken).ConfigureAwait(false);

            phase.Stop();
            ended = Stopwatch.GetTimestamp();
            after = UsageSnapshot.Take(mode);
            deviceAfter = deviceThread.Read();
        }
        finally
        {
            phase.Stop();

            // Each worker ends after its request in flight; a runtime that never completes one must not hang the tool.
            // A thread per request (Blocking, BusyWait) drains one time slice at a time: a thousand threads spinning on
            // one core can take longer than the base guard, so the guard grows with the requests in flight.
            TimeSpan guard = s_stopTimeout + TimeSpan.FromMicroseconds(_settings.OffloadUs) + (s_drainPerRequest * _settings.Concurrency);
            try
            {
                await running.WaitAsync(guard).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException(
                    $"{mode.Name}: {_settings.Concurrency} requests in flight did not finish within {guard.TotalSeconds:0} s after the load stopped.", e);
            }
        }

        double cpuAfterNs = await mode.MeasureCpuWorkNsAsync(_handler.RunComputeOnly, _settings.CostProbe).ConfigureAwait(false);
        double cpuWorkNs = (cpuBeforeNs + cpuAfterNs) / 2;

        var latency = new LatencyHistogram();
        foreach (LoadWorker worker in workers)
        {
            latency.Add(worker.Latency);
        }

        ResourceUsage process = after.Process - before.Process;
        return new RunResult
        {
            Mode = mode.Name,
            Title = mode.Title,
            Workload = _settings,
            CpuWorkNs = cpuWorkNs,
            CpuWorkBeforeNs = cpuBeforeNs,
            CpuWorkAfterNs = cpuAfterNs,
            Bound = ThroughputBound.Compute(cpuWorkNs, _settings.OffloadUs * 1000, _settings.Concurrency, mode.ApplicationCores),
            ApplicationCores = mode.ApplicationCores,
            Requests = latency.Count,
            Elapsed = Stopwatch.GetElapsedTime(started, ended),
            Latency = latency,
            ProcessUsage = process,
            ApplicationUsage = process - (deviceAfter - deviceBefore),
            MachineUsage = after.Machine - before.Machine,
            Loops = after.Loops is { } loopsAfter && before.Loops is { } loopsBefore ? loopsAfter - loopsBefore : null,
            AllocatedBytes = after.AllocatedBytes - before.AllocatedBytes,
            Gen0Collections = after.Gen0Collections - before.Gen0Collections,
            Stalls = after.Stalls - before.Stalls,
        };
    }

    /// <summary>Waits <paramref name="period"/>, but not a moment longer than the workers keep running.</summary>
    private protected static async Task WhileRunningAsync(Task running, TimeSpan period, CancellationToken cancellationToken)
    {
        await Task.WhenAny(Task.Delay(period, cancellationToken), running).ConfigureAwait(false);
        if (running.IsCompleted)
        {
            // A worker only ends early by failing; surface its exception.
            await running.ConfigureAwait(false);
            throw new InvalidOperationException("The workers ended before the run did.");
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
