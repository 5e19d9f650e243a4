namespace Interlude.Benchmarks.Latency;

/// <summary>How the coroutine waits between two offloads.</summary>
internal enum GapMode
{
    /// <summary><see cref="Loop.Delay"/>: the loop is idle for the gap, so a blocking loop sleeps through it.</summary>
    Delay,

    /// <summary>A busy spin inside the coroutine: the loop stays awake and busy through the gap.</summary>
    Spin,
}
