namespace Interlude.Harness.Wake;

/// <summary>What one run of <see cref="WakeBench"/> measured.</summary>
/// <param name="Rows">Every row measured, in the order run.</param>
/// <param name="Notes">What the figures cannot show by themselves (a skipped placement, unpinned threads), each once.</param>
/// <param name="OtherProcessesCores">Cores' worth of CPU other processes used during the run; null where /proc/stat is unavailable.</param>
/// <param name="Interrupted">The run was cancelled: <paramref name="Rows"/> holds the rows measured until then.</param>
public sealed record WakeBenchResult(IReadOnlyList<WakeMeasurement> Rows, IReadOnlyList<string> Notes, double? OtherProcessesCores, bool Interrupted);
