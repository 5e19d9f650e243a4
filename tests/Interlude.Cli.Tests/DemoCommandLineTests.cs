using Interlude.Cli.Tests.Infrastructure;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cli.Tests;

public sealed class DemoCommandLineTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task DemoHelpExitsWithZeroAndListsTheOptions()
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "demo", "--help");

        Assert.True(run.ExitCode == 0, run.Transcript);
        foreach (string option in (string[])["--quick", "--duration", "--json", "--offload-us", "--concurrency"])
        {
            Assert.Contains(option, run.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--concurrency", "0")]
    [InlineData("--concurrency", "-3")]
    [InlineData("--concurrency", "many")]
    [InlineData("--duration", "abc")]
    [InlineData("--duration", "-1")]
    [InlineData("--duration", "NaN")]
    [InlineData("--offload-us", "abc")]
    public async Task AnInvalidValueIsRejectedWithAMessageNamingTheOptionAndWritesNothing(string option, string value)
    {
        string json = _directory.File("results.jsonl");

        CliRun run = await CommandLine.RunInAsync(_directory.Path, "demo", "--quick", option, value, "--json", json);

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains(option, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("req/s", run.Output, StringComparison.Ordinal);
        Assert.Empty(_directory.Entries());
    }

    [Fact]
    public async Task AnUnknownOptionIsRejectedAndWritesNothing()
    {
        string json = _directory.File("results.jsonl");

        CliRun run = await CommandLine.RunInAsync(_directory.Path, "demo", "--quick", "--no-such-option", "--json", json);

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("--no-such-option", run.Error, StringComparison.Ordinal);
        Assert.Empty(_directory.Entries());
    }

    [Fact]
    public async Task AJsonFileInAMissingDirectoryIsRejectedBeforeTheDemoRuns()
    {
        string missing = _directory.File("missing");

        CliRun run = await CommandLine.RunInAsync(_directory.Path, "demo", "--quick", "--json", Path.Combine(missing, "results.jsonl"));

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("--json", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("req/s", run.Output, StringComparison.Ordinal);
        Assert.Empty(_directory.Entries());
    }

    [Fact]
    public async Task AJsonPathThatIsADirectoryIsRejectedBeforeTheDemoRuns()
    {
        string directory = _directory.File("results");
        Directory.CreateDirectory(directory);

        CliRun run = await CommandLine.RunInAsync(_directory.Path, "demo", "--quick", "--json", directory);

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("--json", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("req/s", run.Output, StringComparison.Ordinal);
        Assert.Equal(["results"], _directory.Entries());
    }
}
