namespace Interlude.Harness.Wake;

/// <summary>A wake primitive the primitive comparison measures: its row name, what it is, and how to make one.</summary>
public sealed record WakePrimitiveKind(string Mode, string Description, Func<IWakePrimitive> Create)
{
    /// <summary>The spin window of the spinning FastWakeEvent variant.</summary>
    public static readonly TimeSpan FastWakeSpin = TimeSpan.FromMicroseconds(20);

    /// <summary>Every primitive compared, in report order.</summary>
    public static IReadOnlyList<WakePrimitiveKind> All { get; } =
    [
        new("fastwake", "FastWakeEvent, no spin: futex wake only when the waiter sleeps", () => new FastWakePrimitive(TimeSpan.Zero)),
        new("fastwake-spin", $"FastWakeEvent spinning {FastWakeSpin.TotalMicroseconds:0} us before it sleeps", () => new FastWakePrimitive(FastWakeSpin)),
        new("mres", "ManualResetEventSlim with SpinCount = 0", () => new ManualResetPrimitive(spinCount: 0)),
        new("mres-spin", "ManualResetEventSlim with its default SpinCount", () => new ManualResetPrimitive(spinCount: null)),
        new("semaphoreslim", "SemaphoreSlim(0), Release / Wait", () => new SemaphorePrimitive()),
        new("monitor", "a flag under Monitor, Pulse / Wait", () => new MonitorPrimitive()),
    ];
}
