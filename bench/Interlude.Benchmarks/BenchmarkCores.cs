namespace Interlude.Benchmarks;

/// <summary>
/// The cores the benchmarks pin to: the loop on the first core this process may use, the device thread on
/// the second (on a one-core machine both share it).
/// </summary>
internal static class BenchmarkCores
{
    private static readonly int[] s_allowed = CpuAffinity.AllowedCores();

    internal static IReadOnlyList<int> Allowed => s_allowed;

    internal static int Loop => s_allowed[0];

    internal static int Device => s_allowed.Length > 1 ? s_allowed[1] : s_allowed[0];

    /// <summary>A one-loop group pinned to <paramref name="core"/>, stall reports off (they would preempt the pinned threads).</summary>
    internal static LoopGroup SingleLoopGroup(WaitStrategy strategy, int core) => new(new LoopGroupOptions
    {
        LoopCount = 1,
        Cores = [core],
        WaitStrategy = strategy,
        StallThreshold = TimeSpan.Zero,
    });
}
