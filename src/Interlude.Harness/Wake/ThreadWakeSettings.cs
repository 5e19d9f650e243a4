namespace Interlude.Harness.Wake;

/// <summary>What the thread wake measurements (<see cref="WakePrimitiveBench"/>, <see cref="DispatcherPingBench"/>) run.</summary>
public sealed record ThreadWakeSettings
{
    /// <summary>Measured wakes per point (primitive or mode, placement, gap).</summary>
    public int Samples { get; init; } = 2_000;

    /// <summary>Wakes run before each point's measurement starts, and not recorded.</summary>
    public int Warmup { get; init; } = 200;

    /// <summary>Idle time before each signal or completion, in microseconds.</summary>
    public IReadOnlyList<int> GapsUs { get; init; } = [0, 50, 200, 1000];

    /// <summary>
    /// The waiting core first, then the other core (the waker's or the device's); null: the first and last cores
    /// this process may run on.
    /// </summary>
    public IReadOnlyList<int>? Cores { get; init; }

    /// <summary>The dispatcher's poll window in the ping; null keeps <see cref="CompletionDispatcherOptions.PollWindow"/>'s default.</summary>
    public TimeSpan? DispatcherPollWindow { get; init; }

    /// <summary>A short run, for a smoke test or a first look: figures with few samples.</summary>
    public static ThreadWakeSettings Quick => new() { Samples = 200, Warmup = 20 };

    public void Validate()
    {
        if (Samples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "Samples must be at least 1.");
        }

        if (Warmup < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Warmup), Warmup, "Warmup must not be negative.");
        }

        if (GapsUs.Count == 0 || GapsUs.Any(g => g < 0 || g > 1_000_000))
        {
            throw new ArgumentException("GapsUs must list at least one gap, each between 0 and 1,000,000 microseconds.", nameof(GapsUs));
        }

        if (Cores is { Count: 0 } || (Cores?.Any(c => c < 0) ?? false))
        {
            throw new ArgumentException("Cores, when given, must list non-negative core numbers.", nameof(Cores));
        }

        CpuAffinity.ValidateCores(Cores, nameof(Cores));
    }

    /// <summary>The waiting core and the other core; the same core twice when only one is available.</summary>
    public (int Waiting, int Other) ChooseCores()
    {
        IReadOnlyList<int> cores = Cores ?? CpuAffinity.AllowedCores();
        return (cores[0], cores.Count > 1 ? cores[^1] : cores[0]);
    }
}
