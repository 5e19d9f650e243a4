using Interlude.Harness.Measurement;

namespace Interlude.Harness.Wake;

/// <summary>
/// Compares wake primitives for plain threads (<see cref="WakePrimitiveKind.All"/>): for each placement (waker
/// on another core, or on the waiter's own core) and each idle gap before the signal, the latency from the
/// waker's timestamp just before it signals to the waiter's timestamp just after it wakes, and the share of its
/// core the waiter spends (section <c>primitives</c>).
/// </summary>
/// <remarks>
/// With a single usable core only the same-core placement runs; off Linux the threads run unpinned. Both are
/// said in <see cref="Notes"/>, for the caller to print beside the figures.
/// </remarks>
public sealed class WakePrimitiveBench
{
    public const string Section = "primitives";
    public const string CrossCore = "cross-core";
    public const string SameCore = "same-core";

    private readonly ThreadWakeSettings _settings;
    private readonly List<string> _notes = [];

    public WakePrimitiveBench(ThreadWakeSettings settings)
    {
        settings.Validate();
        _settings = settings;
    }

    /// <summary>What the figures of the last run cannot show (placements skipped, threads unpinned).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Runs every point; one row per primitive, placement and gap, in that nesting (placement outermost).</summary>
    public IReadOnlyList<WakeMeasurement> Run(CancellationToken cancellationToken, IReadOnlyList<WakePrimitiveKind>? primitives = null)
    {
        _notes.Clear();
        (int waiting, int other) = _settings.ChooseCores();
        var placements = new List<(string Name, int WakerCore)>();
        if (waiting != other)
        {
            placements.Add((CrossCore, other));
        }
        else
        {
            _notes.Add($"Only core {waiting} is available: the cross-core placement was skipped.");
        }

        placements.Add((SameCore, waiting));
        if (!CpuAffinity.IsSupported)
        {
            _notes.Add("Threads cannot be pinned on this system: the placements are nominal and the figures mix both.");
        }

        var rows = new List<WakeMeasurement>();
        foreach ((string placement, int wakerCore) in placements)
        {
            foreach (WakePrimitiveKind kind in primitives ?? WakePrimitiveKind.All)
            {
                foreach (int gapUs in _settings.GapsUs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var run = new PingPongRun(kind, wakerCore, waiting, gapUs, _settings.Warmup, _settings.Samples);
                    (LatencyHistogram latency, WaitingCost cost) = run.Execute(cancellationToken);
                    rows.Add(new WakeMeasurement(Section, kind.Mode, placement, gapUs, Queues: 1, Load: 0, latency, cost));
                }
            }
        }

        return rows;
    }
}
