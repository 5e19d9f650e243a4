using Interlude.Cli.Tests.Infrastructure;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cli.Tests;

/// <summary><c>interlude bench gpu</c> on a machine without a usable GPU: it says why, exits with code 3 and writes nothing.</summary>
[Collection(AloneCollection.Name)]
public sealed class BenchGpuTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [NoGpuFact]
    public async Task Without_a_gpu_it_says_why_and_exits_non_zero()
    {
        string json = _directory.File("gpu.jsonl");
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "gpu", "--quick", "--json", json);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("No usable CUDA GPU, so the GPU benchmark cannot run:", run.Error, StringComparison.Ordinal);
        Assert.Contains("libcuda.so.1", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(json), "nothing is written when nothing ran");
        Assert.False(File.Exists(Path.Combine(_directory.Path, "interlude-gpu.html")));
    }

    [Fact]
    public async Task An_unknown_section_is_refused_before_anything_runs()
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "gpu", "--sections", "latency,warp");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("unknown section 'warp'", run.Error, StringComparison.Ordinal);
    }
}
