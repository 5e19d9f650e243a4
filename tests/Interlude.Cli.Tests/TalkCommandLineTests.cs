using Interlude.Cli.Tests.Infrastructure;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cli.Tests;

/// <summary>interlude talk's parsing: bad input ends with a nonzero exit and a one-line message naming the problem.</summary>
public sealed class TalkCommandLineTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AMissingVideoIsNamed()
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "talk", "no-such-talk.mp4", "--out", "out");

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("no-such-talk.mp4: no such file.", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "out")), run.Transcript);
    }

    [Fact]
    public async Task AMissingModelFileIsNamed()
    {
        string video = Path.Combine(_directory.Path, "talk.mp4");
        await File.WriteAllTextAsync(video, "stands for a video: parsing fails before it is read");
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "talk", video, "--out", "out", "--asr", "whisper", "--whisper-model", "missing.bin");

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("--whisper-model: missing.bin: no such file.", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--correct", "openai", "--correct openai needs --endpoint URL")]
    [InlineData("--correct", "bard", "bard")]
    [InlineData("--scene-threshold", "2", "--scene-threshold")]
    public async Task BadEngineOptionsAreRejectedWithAMessage(string option, string value, string message)
    {
        string video = Path.Combine(_directory.Path, "talk.mp4");
        await File.WriteAllTextAsync(video, "stands for a video: parsing fails before it is read");
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "talk", video, "--out", "out", option, value);

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpNamesEveryEngineAndWhatItNeeds()
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "talk", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (string expected in new[] { "--asr", "--correct", "--whisper-model", "--llama-model", "--endpoint", "--model", "Whisper on a ggml model file", "a llama.cpp GGUF model file", "OpenAI-compatible endpoint" })
        {
            Assert.Contains(expected, run.Output, StringComparison.Ordinal);
        }
    }
}
