using System.CommandLine;
using System.Globalization;
using Interlude.Harness.Wake;

namespace Interlude.Benchmarks;

/// <summary>
/// <c>latency</c>: completion to continuation with one offload in flight, per delivery mode, next to the raw
/// two-thread handoff as the floor. It runs the harness's ping section, the one <c>interlude bench wake</c> runs,
/// and prints its table and ratios.
/// </summary>
internal static class LatencyCommand
{
    internal static Command Create()
    {
        var gaps = new Option<int[]?>("--gap-us")
        {
            Description = "How long the device holds each operation before it completes it, comma-separated microseconds "
                + $"(0 to 1,000,000) [default: {string.Join(",", WakeBenchSettings.DefaultGapsUs)}].",
            HelpName = "list",
            CustomParser = ParseGaps,
        };
        var quick = new Option<bool>("--quick") { Description = "Short rows: a few seconds in all; figures are rough." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the rows as JSON Lines to this file.", HelpName = "file" };
        var command = new Command("latency", "Completion-to-continuation latency of one offload in flight, per delivery mode, with the raw handoff floor.")
        {
            gaps,
            quick,
            json,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(gaps), parseResult.GetValue(quick), parseResult.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int[]? gapsUs, bool quick, FileInfo? json, CancellationToken cancellationToken)
    {
        var bench = new WakeBench(quick, gapsUs);
        Console.WriteLine("Interlude latency: completion (device timestamp just before it publishes) to continuation (timestamp right after the waiter runs again)");
        Console.WriteLine($"  {bench.Machine}");
        Console.WriteLine();
        WakeBenchResult result = await bench.RunAsync([WakeBench.Ping], line => Console.Error.WriteLine($"  ... {line}"), cancellationToken).ConfigureAwait(false);
        foreach (string note in result.Notes)
        {
            Console.WriteLine($"  Note: {note}");
        }

        WakeReport.PrintTables(Console.Out, result.Rows);
        if (result.OtherProcessesCores is { } others)
        {
            // Above ~0.1 core, other processes competed with the run and the figures understate the modes.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Other processes used {others:0.00} cores' worth of CPU during the run."));
            Console.WriteLine();
        }

        WakeReport.PrintRatios(Console.Out, result.Rows);
        if (json is not null)
        {
            WakeReport.WriteJson(json, result.Rows);
            Console.WriteLine($"JSON: {json.FullName}");
        }

        return result.Interrupted ? 130 : 0;
    }

    private static int[]? ParseGaps(System.CommandLine.Parsing.ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        var gaps = new List<int>();
        foreach (string item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out int gap) || gap < 0 || gap > 1_000_000)
            {
                result.AddError($"--gap-us: '{item}' is not a whole number from 0 to 1,000,000.");
                return null;
            }

            gaps.Add(gap);
        }

        return [.. gaps];
    }
}
