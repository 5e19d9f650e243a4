namespace Interlude.Harness.Modes;

/// <summary>The execution modes by name, as the command line names them.</summary>
public static class ExecutionModes
{
    /// <summary>Interlude with its default wait strategy (Adaptive).</summary>
    public const string Interlude = "interlude";

    /// <summary>Every name <see cref="Create"/> accepts, in the order of the comparison.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        ThreadPerRequestMode.BlockingName,
        ThreadPerRequestMode.BusyWaitName,
        ThreadPoolAsyncMode.ModeName,
        Interlude,
        "interlude-poll",
        "interlude-block",
        "interlude-adaptive",
    ];

    /// <summary>The seed's four-way comparison.</summary>
    public static IReadOnlyList<string> Comparison { get; } =
        [ThreadPerRequestMode.BlockingName, ThreadPerRequestMode.BusyWaitName, ThreadPoolAsyncMode.ModeName, Interlude];

    public static bool IsKnown(string name) => Names.Contains(Normalise(name));

    /// <summary>
    /// Creates the mode called <paramref name="name"/> (case-insensitive), its application side on
    /// <paramref name="placement"/>'s application cores. Create each mode right before its run and stop it
    /// right after: some modes hold threads or confine the process's threads while they live.
    /// </summary>
    /// <param name="stallThreshold">For Interlude's loops: the stall detector's threshold (zero: off); null keeps the runtime's default.</param>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static IExecutionMode Create(string name, CorePlacement placement, TimeSpan? stallThreshold = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(placement);
        return Normalise(name) switch
        {
            ThreadPerRequestMode.BlockingName => ThreadPerRequestMode.Blocking(placement),
            ThreadPerRequestMode.BusyWaitName => ThreadPerRequestMode.BusyWait(placement),
            ThreadPoolAsyncMode.ModeName => new ThreadPoolAsyncMode(placement),
            Interlude => new InterludeMode(WaitStrategy.Adaptive, placement, stallThreshold, Interlude),
            "interlude-poll" => new InterludeMode(WaitStrategy.Poll, placement, stallThreshold),
            "interlude-block" => new InterludeMode(WaitStrategy.Block, placement, stallThreshold),
            "interlude-adaptive" => new InterludeMode(WaitStrategy.Adaptive, placement, stallThreshold),
            _ => throw new ArgumentException(
                $"Unknown execution mode '{name}'. Known modes: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    private static string Normalise(string name) => name.Trim().ToLowerInvariant();
}
