using System.Diagnostics;
using System.Runtime.InteropServices;
using Interlude.Harness.Measurement;
using Interlude.Harness.Modes;

namespace Interlude.Harness.Wake;

/// <summary>
/// The sections of <c>interlude bench wake</c>: how fast a completion reaches the code waiting for it, and what
/// the waiting costs, per delivery mode. Prints nothing; <see cref="WakeReport"/> turns the rows into tables.
/// </summary>
public sealed class WakeBench
{
    public const string Ping = "ping";
    public const string Primitives = "primitives";
    public const string Queues = "queues";
    public const string Adaptive = "adaptive";
    public const string Timers = TimerSlackBench.Section;

    /// <summary>Every section, in the order they run.</summary>
    public static IReadOnlyList<string> Sections { get; } = [Ping, Primitives, Queues, Adaptive, Timers];

    private readonly bool _quick;

    /// <param name="quick">Short rows and fewer queue counts: a few seconds in all; figures are rough.</param>
    /// <param name="gapsUs">The idle gaps of the ping and primitive sections; null keeps the defaults.</param>
    /// <param name="loads">The offered loads of the adaptive section (fractions of the core); null keeps the defaults.</param>
    /// <param name="spinBudget">The adaptive loop's spin budget in the adaptive section; null keeps the default.</param>
    /// <param name="enterPollingLoad">The adaptive loop's EnterPollingLoad in the adaptive section; null keeps the default.</param>
    public WakeBench(bool quick, IReadOnlyList<int>? gapsUs = null, IReadOnlyList<double>? loads = null, double? spinBudget = null, double? enterPollingLoad = null)
    {
        _quick = quick;
        CorePlacement placement = CorePlacement.For(CpuAffinity.AllowedCores());
        Settings = WakeBenchSettings.For(placement.ApplicationCores[0], placement.DeviceCore, quick);
        if (gapsUs is not null)
        {
            Settings = Settings with { GapsUs = gapsUs };
        }

        if (loads is not null)
        {
            Settings = Settings with { Loads = loads };
        }

        Settings = Settings with { SpinBudget = spinBudget, EnterPollingLoad = enterPollingLoad };

        Machine = $"{RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores; "
            + $"waiting side on core {Settings.WaiterCore}, device on core {Settings.DeviceCore}";
    }

    public WakeBenchSettings Settings { get; }

    /// <summary>The machine and the placement, in a line.</summary>
    public string Machine { get; }

    /// <summary>
    /// Runs <paramref name="sections"/> (names from <see cref="Sections"/>) in the standard order. A cancellation
    /// ends the run early with the rows measured so far.
    /// </summary>
    /// <param name="progress">Told what starts next, for a progress line.</param>
    public async Task<WakeBenchResult> RunAsync(IReadOnlyCollection<string> sections, Action<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sections);
        MachineUsage machineStart = MachineUsage.Read();
        ResourceUsage processStart = ResourceUsage.ReadProcess();
        long wallStart = Stopwatch.GetTimestamp();
        var rows = new List<WakeMeasurement>();
        var notes = new List<string>();
        bool interrupted = false;
        try
        {
            ThreadWakeSettings threadSettings = (_quick ? ThreadWakeSettings.Quick : new ThreadWakeSettings()) with
            {
                GapsUs = Settings.GapsUs,
                Cores = [Settings.WaiterCore, Settings.DeviceCore],
            };
            if (sections.Contains(Ping))
            {
                rows.AddRange(await LoopPingBench.RunAsync(Settings, progress, cancellationToken).ConfigureAwait(false));
                progress?.Invoke("ping: dispatcher and blocking threads");
                var dispatcher = new DispatcherPingBench(threadSettings);
                rows.AddRange(dispatcher.Run(cancellationToken));
                notes.AddRange(dispatcher.Notes);
            }

            if (sections.Contains(Primitives))
            {
                progress?.Invoke("primitives");
                var primitives = new WakePrimitiveBench(threadSettings);
                rows.AddRange(primitives.Run(cancellationToken));
                notes.AddRange(primitives.Notes);
            }

            if (sections.Contains(Queues))
            {
                rows.AddRange(QueueSweepBench.Run(Settings, progress, cancellationToken));
            }

            if (sections.Contains(Adaptive))
            {
                rows.AddRange(AdaptiveLoadSweep.Run(Settings, progress, cancellationToken));
            }

            if (sections.Contains(Timers))
            {
                rows.AddRange(TimerSlackBench.Run(Settings, progress, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }

        double? others = null;
        if (MachineUsage.IsAvailable)
        {
            // What other processes took of the machine meanwhile: above ~0.1 core they competed with the run.
            double wallSeconds = Stopwatch.GetElapsedTime(wallStart).TotalSeconds;
            TimeSpan used = (MachineUsage.Read().BusyTime - machineStart.BusyTime) - (ResourceUsage.ReadProcess() - processStart).CpuTime;
            others = Math.Max(0, used.TotalSeconds / wallSeconds);
        }

        return new WakeBenchResult(rows, notes.Distinct().ToArray(), others, interrupted);
    }
}
