using System.Numerics;
using Interlude.Harness.Measurement;
using Interlude.Harness.Modes;
using Interlude.Harness.Workload;

namespace Interlude.Harness.Comparison;

/// <summary>
/// Runs a comparison: calibrates the CPU work, then for each offload latency and each execution mode makes a
/// device for that mode and runs the same handler under the mode, one configuration at a time. Prints nothing:
/// what happens goes to an <see cref="IComparisonObserver"/>, and the results come back.
/// </summary>
public sealed class ComparisonRun
{
    private readonly ComparisonSettings _settings;
    private readonly CorePlacement _placement;

    public ComparisonRun(ComparisonSettings settings, CorePlacement placement)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(placement);
        _settings = settings;
        _placement = placement;
    }

    /// <summary>Configurations <see cref="RunAsync"/> runs: every (offload latency, mode).</summary>
    public int ConfigurationCount => _settings.OffloadUs.Count * _settings.Modes.Count;

    /// <summary>
    /// Finds the SHA-256 work that costs half of c on this machine. Before any device exists: a device thread
    /// spins, and the calibration should not share the machine with it.
    /// </summary>
    public CpuWorkCalibration Calibrate() => CpuWorkCalibrator.Calibrate(_settings.CpuUs * 1000 / 2, _settings.CalibrationSample);

    /// <summary>Runs every configuration with the calibrated work; the results in the order run.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing is returned.</exception>
    public async Task<IReadOnlyList<RunResult>> RunAsync(CpuWorkCalibration calibration, IComparisonObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(observer);
        var results = new List<RunResult>();
        bool warmedUp = false;
        foreach (double offloadUs in _settings.OffloadUs)
        {
            int lanes = _settings.Modes.Max(m => _settings.ConcurrencyFor(offloadUs, m));
            var handler = new OffloadRequestHandler(calibration.Work, calibration.Work, ServiceTime.Fixed(TimeSpan.FromMicroseconds(offloadUs)));
            if (!warmedUp)
            {
                observer.OnRequestDescribed(handler.Description);
                await WarmUpAsync(handler, lanes, cancellationToken).ConfigureAwait(false);
                warmedUp = true;
            }

            foreach (string modeName in _settings.Modes)
            {
                int concurrency = _settings.ConcurrencyFor(offloadUs, modeName);
                observer.OnConfigurationStarting($"{modeName}, L = {offloadUs:G} us, N = {concurrency}");
                if (concurrency < _settings.ConcurrencyFor(offloadUs))
                {
                    observer.OnWarning(
                        $"{modeName} runs one thread per request in flight: N capped at {concurrency} "
                        + $"instead of {_settings.ConcurrencyFor(offloadUs)} for L = {offloadUs:G} us.");
                }

                // A device per mode, made right before its run: the thread-per-request modes need one that completes
                // inline, and the ThreadPool mode the default one, whose continuations go to the pool.
                IExecutionMode mode = ExecutionModes.Create(modeName, _placement, _settings.StallThreshold);
                using var device = new SimulatedAccelerator(DeviceOptions(offloadUs, lanes, _placement, mode.NeedsInlineCompletions));
                WorkloadSettings workload = _settings.ToWorkload(offloadUs, concurrency);
                LoadGenerator generator = workload.RateRps is null
                    ? new ClosedLoopLoadGenerator(handler, workload, device)
                    : new OpenLoopLoadGenerator(handler, workload, device);
                RunResult result = await RunOneAsync(generator, mode, observer, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                observer.OnResult(result);
            }
        }

        return results;
    }

    /// <summary>The simulated device of one configuration.</summary>
    /// <param name="concurrency">The most requests in flight at once.</param>
    /// <param name="inlineCompletions">Whether the mode needs <see cref="AcceleratorOptions.UnsafeInlineCompletions"/>.</param>
    public static SimulatedAcceleratorOptions DeviceOptions(double offloadUs, int concurrency, CorePlacement placement, bool inlineCompletions)
    {
        ArgumentNullException.ThrowIfNull(placement);
        return new SimulatedAcceleratorOptions
        {
            ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(offloadUs)),
            Threads = 1,
            Cores = [placement.DeviceCore],

            // One lane per request in flight, and one for the usage probe, so the device never queues.
            Lanes = concurrency + 1,

            // Room for every request in flight, so no submission waits for ring space (or, off any loop, for a slot).
            RingCapacity = (int)Math.Max(1024, BitOperations.RoundUpToPowerOf2((uint)concurrency + 1)),

            // Spinning like hardware, unless it has to share the one core with the application.
            IdleSpin = placement.DeviceSharesCore ? TimeSpan.FromMilliseconds(1) : Timeout.InfiniteTimeSpan,

            // The thread-per-request modes: the device thread releases the waiting thread itself.
            UnsafeInlineCompletions = inlineCompletions,
        };
    }

    private static async Task<RunResult> RunOneAsync(LoadGenerator generator, IExecutionMode mode, IComparisonObserver observer, CancellationToken cancellationToken)
    {
        try
        {
            return await generator.RunAsync(mode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (await mode.StopAsync().ConfigureAwait(false) is { } problem)
            {
                observer.OnWarning(problem);
            }
        }
    }

    /// <summary>
    /// Load run once before the first configuration and not reported: the first run in a process pays for the
    /// JIT's tiers and cold caches, which would otherwise count against whichever configuration comes first.
    /// </summary>
    private async Task WarmUpAsync(IRequestHandler handler, int lanes, CancellationToken cancellationToken)
    {
        // Closed loop whatever the load asked for: this only has to run the code paths, as much as possible.
        double offloadUs = _settings.OffloadUs[0];
        WorkloadSettings warmUp = _settings.ToWorkload(offloadUs, _settings.ConcurrencyFor(offloadUs)) with
        {
            RateRps = null,
            WarmUp = _settings.ProcessWarmUp,
            Duration = TimeSpan.FromMilliseconds(100),
            CostProbe = TimeSpan.FromMilliseconds(5),
        };
        IExecutionMode mode = ExecutionModes.Create(ExecutionModes.Interlude, _placement, _settings.StallThreshold);
        using var device = new SimulatedAccelerator(DeviceOptions(offloadUs, lanes, _placement, mode.NeedsInlineCompletions));
        try
        {
            await new ClosedLoopLoadGenerator(handler, warmUp, device).RunAsync(mode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await mode.StopAsync().ConfigureAwait(false);
        }
    }
}
