using System.Diagnostics;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Wake;

/// <summary>
/// Blocking code waking on completions (section <c>ping</c>): one thread on the waiting core issues one offload
/// at a time to a simulated device on the other core and blocks until it completes. The device holds each
/// operation for the gap (its work function spins that long on the device thread) and returns its timestamp
/// taken just before it publishes the completion; the blocked thread subtracts it from its own timestamp taken
/// as soon as the offload returns.
/// </summary>
/// <remarks>
/// Modes: <c>dispatcher</c>: through a <see cref="CompletionDispatcher"/> on the waiting core (the device rings
/// its doorbell, the dispatcher wakes the thread on its own core); <c>blocking</c>: the same device and work, but
/// the thread sleeps on a <see cref="FastWakeEvent"/> that the device thread sets directly, across cores
/// (<see cref="DirectWakeOffload"/>). The busy fraction of the
/// waiting core counts the blocked thread's CPU time and, for <c>dispatcher</c>, the dispatcher thread's
/// (read from /proc/self/task/TID/schedstat), over the measured wall time.
/// </remarks>
public sealed class DispatcherPingBench
{
    public const string Section = "ping";
    public const string DispatcherMode = "dispatcher";
    public const string BlockingMode = "blocking";
    public const string Placement = "cross-core";

    private readonly ThreadWakeSettings _settings;
    private readonly List<string> _notes = [];

    public DispatcherPingBench(ThreadWakeSettings settings)
    {
        settings.Validate();
        _settings = settings;
    }

    /// <summary>What the figures of the last run cannot show (shared core, no idle priority, unpinned threads).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Runs both modes at every gap; one row each, <c>blocking</c> first.</summary>
    public IReadOnlyList<WakeMeasurement> Run(CancellationToken cancellationToken)
    {
        _notes.Clear();
        (int waiting, int deviceCore) = _settings.ChooseCores();
        if (waiting == deviceCore)
        {
            _notes.Add($"Only core {waiting} is available: the device shares it with the blocked thread, so no wake crosses cores.");
        }

        using var device = new SimulatedAccelerator(new SimulatedAcceleratorOptions
        {
            ServiceTime = ServiceTime.Fixed(TimeSpan.Zero),
            Cores = [deviceCore],

            // For the blocking mode: the device thread sets the blocked thread's event itself. The dispatcher's
            // offloads deliver their own completions and are unaffected.
            UnsafeInlineCompletions = true,
        });
        var dispatcherOptions = new CompletionDispatcherOptions { Core = waiting };
        if (_settings.DispatcherPollWindow is { } window)
        {
            dispatcherOptions.PollWindow = window;
        }

        IReadOnlyList<int> threadsBefore = ProcessThreads.Ids();
        using var dispatcher = new CompletionDispatcher(dispatcherOptions);

        // The dispatcher's thread, for its CPU time: the one thread its constructor started ("interlude-dispatcher-N").
        int dispatcherThread = ProcessThreads.FindStartedSince(threadsBefore, "interlude-disp");
        if (!dispatcher.RunsAtIdlePriority)
        {
            _notes.Add("SCHED_IDLE was refused: the dispatcher yields after each wake instead of being preempted.");
        }

        if (!dispatcher.IsPinned)
        {
            _notes.Add("Threads cannot be pinned on this system: the dispatcher and the blocked thread may not share a core.");
        }

        var rows = new List<WakeMeasurement>();
        Exception? failure = null;
        var owner = new Thread(() =>
        {
            try
            {
                CpuAffinity.TryPinCurrentThread(waiting);
                var direct = new DirectWakeOffload();
                foreach (string mode in new[] { BlockingMode, DispatcherMode })
                {
                    foreach (int gapUs in _settings.GapsUs)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        rows.Add(MeasurePoint(mode, gapUs, device, dispatcher, dispatcherThread, direct, cancellationToken));
                    }
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        })
        {
            IsBackground = true,
            Name = "interlude-ping-owner",
        };
        owner.Start();
        owner.Join();
        if (failure is OperationCanceledException)
        {
            throw failure;
        }

        if (failure is not null)
        {
            throw new InvalidOperationException("The ping thread failed.", failure);
        }

        return rows;
    }

    /// <summary>On the owner thread: one mode at one gap.</summary>
    private WakeMeasurement MeasurePoint(
        string mode, int gapUs, SimulatedAccelerator device, CompletionDispatcher dispatcher, int dispatcherThread, DirectWakeOffload direct, CancellationToken cancellationToken)
    {
        bool viaDispatcher = mode == DispatcherMode;
        DeviceThreadUsage dispatcherUsage = DeviceThreadUsage.ForThread(viaDispatcher ? dispatcherThread : 0);
        long holdTicks = (long)(gapUs * 1e-6 * Stopwatch.Frequency);
        var latency = new LatencyHistogram();

        // The waiting side is the blocked thread (this one) and, through the dispatcher, the dispatcher's thread.
        var meter = new WaitingCostMeter(() => ResourceUsage.ReadCurrentThread() + dispatcherUsage.Read());
        for (int round = 0; round < _settings.Warmup + _settings.Samples; round++)
        {
            if (round == _settings.Warmup)
            {
                meter.Start();
            }

            long completedAt = viaDispatcher
                ? dispatcher.Offload(device, PingSampler.CompleteAfter, holdTicks, cancellationToken)
                : direct.Offload(device, PingSampler.CompleteAfter, holdTicks, cancellationToken);
            long resumedAt = Stopwatch.GetTimestamp();
            if (round >= _settings.Warmup)
            {
                latency.Record(resumedAt - completedAt);
            }
        }

        WaitingCost cost = meter.Stop();
        return new WakeMeasurement(Section, mode, Placement, gapUs, Queues: 1, Load: 0, latency, cost);
    }
}
