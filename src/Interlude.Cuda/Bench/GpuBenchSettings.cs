namespace Interlude.Cuda.Bench;

/// <summary>How long <c>interlude bench gpu</c> measures; <see cref="Quick"/> for a run of a few seconds with rough figures.</summary>
internal sealed record GpuBenchSettings(bool Quick)
{
    internal static readonly string[] Sections = ["latency", "throughput"];

    internal int LatencySamples => Quick ? 2_000 : 20_000;

    internal TimeSpan ThroughputDuration => Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(3);

    internal TimeSpan IdleWindow => Quick ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(1);

    internal int[] KernelUs => Quick ? [10, 100] : [10, 50, 100];

    /// <summary>Coroutines (or threads) sharing the GPU in the throughput section.</summary>
    internal int InFlight => 64;
}
