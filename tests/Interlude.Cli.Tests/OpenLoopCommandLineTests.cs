using Interlude.Cli.Tests.Infrastructure;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cli.Tests;

public sealed class OpenLoopCommandLineTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AnOpenLoopWithoutARateIsRejectedWithAMessage()
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "offload", "--load", "open", "--duration", "0.1");

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("--rate", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("req/s", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("fast")]
    public async Task ANonPositiveOrNonNumericRateIsRejectedWithAMessage(string rate)
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "bench", "offload", "--load", "open", "--rate", rate, "--duration", "0.1");

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("--rate", run.Error, StringComparison.Ordinal);
    }
}
