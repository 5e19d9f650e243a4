namespace Interlude.Cuda.Bench;

/// <summary>
/// The GPU benchmark behind <c>interlude bench gpu</c> and <c>scripts/gpu-check.sh</c>: the latency section (one
/// null kernel at a time, per completion detection mode and per CUDA scheduling flag) and the throughput section
/// (many requests sharing the GPU under the four execution modes).
/// </summary>
internal sealed class GpuBench(GpuBenchSettings settings)
{
    /// <summary>The exit code of a run that could not start because there is no usable GPU.</summary>
    internal const int NoGpuExitCode = 3;

    internal GpuBenchSettings Settings => settings;

    /// <summary>Null when a GPU can be used; otherwise the sentence that says why the bench cannot run.</summary>
    internal static string? WhyNotRunnable(string what = "the GPU benchmark", Func<(bool Available, string Reason)>? probe = null)
    {
        (bool available, string reason) = (probe ?? DefaultProbe)();
        return available ? null : $"No usable CUDA GPU, so {what} cannot run: {reason}";
    }

    internal async Task<IReadOnlyList<GpuBenchRow>> RunAsync(IReadOnlyCollection<string> sections, Action<string> log, CancellationToken cancellationToken)
    {
        var rows = new List<GpuBenchRow>();
        try
        {
            if (sections.Contains("latency"))
            {
                rows.AddRange(await new LatencyBench(settings).RunAsync(log, cancellationToken).ConfigureAwait(false));
            }

            if (sections.Contains("throughput"))
            {
                rows.AddRange(await new ThroughputBench(settings).RunAsync(log, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log("interrupted: reporting the rows measured so far");
        }

        return rows;
    }

    private static (bool, string) DefaultProbe() => (CudaDevice.IsAvailable(out string reason), reason);
}
