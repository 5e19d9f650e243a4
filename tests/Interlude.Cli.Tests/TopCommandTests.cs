using System.Diagnostics;
using System.Globalization;
using Interlude.Cli.Tests.Infrastructure;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cli.Tests;

/// <summary>
/// <c>interlude top</c> attached to another process through its diagnostics port (a soak run, whose loops offload
/// meanwhile): it shows each loop, their offload rates and the offload duration, and says clearly when it cannot
/// attach.
/// </summary>
public sealed class TopCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Attached_to_another_process_it_shows_every_loop_with_its_offload_rate_and_the_offload_duration()
    {
        // The other process: the soak, two loops offloading to the simulated device at half its capacity.
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet";
        var start = new ProcessStartInfo(host, ["exec", typeof(Program).Assembly.Location, "soak", "--seconds", "60", "--overload", "0.5", "--loops", "2"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory.Path,
        };
        using Process target = Process.Start(start)!;
        Task<string> targetOutput = target.StandardOutput.ReadToEndAsync();
        Task<string> targetError = target.StandardError.ReadToEndAsync();
        CliRun run;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            run = await CommandLine.RunInAsync(
                _directory.Path, "top", "--pid", target.Id.ToString(CultureInfo.InvariantCulture), "--samples", "4", "--interval", "0.5");
        }
        finally
        {
            target.Kill(entireProcessTree: true);
            await target.WaitForExitAsync();
        }

        string context = $"{run.Transcript}{Environment.NewLine}--- the soak ---{Environment.NewLine}{await targetOutput}{await targetError}";
        Assert.True(run.ExitCode == 0, context);
        string[][] refreshes = [.. run.Output.Split($"{Environment.NewLine}{Environment.NewLine}", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries))];
        Assert.Equal(4, refreshes.Length);
        Assert.All(refreshes, refresh => Assert.StartsWith("loop", refresh[0].Trim(), StringComparison.Ordinal));
        foreach (int loop in new[] { 0, 1 })
        {
            // Rates need two collections: the first refresh has none; a later one shows the loop's offloads.
            double busiest = refreshes.Skip(1).Max(refresh => OffloadsPerSecond(refresh, loop));
            Assert.True(busiest > 0, $"loop {loop} shows no offloads in any refresh{Environment.NewLine}{context}");
        }

        Assert.Contains(refreshes.SelectMany(r => r), line => line.StartsWith("offload duration (submission to reap): p50 ", StringComparison.Ordinal));
    }

    private static double OffloadsPerSecond(string[] refresh, int loop)
    {
        string[]? row = refresh.Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(cells => cells.Length == 8 && cells[0] == loop.ToString(CultureInfo.InvariantCulture));
        return row is not null && double.TryParse(row[4], NumberStyles.Number, CultureInfo.InvariantCulture, out double rate) ? rate : 0;
    }

    [Fact]
    public async Task A_process_it_cannot_attach_to_is_an_error_that_says_so()
    {
        CliRun run = await CommandLine.RunInAsync(_directory.Path, "top", "--pid", "999999", "--samples", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot attach to process 999999", run.Error, StringComparison.Ordinal);
    }
}
