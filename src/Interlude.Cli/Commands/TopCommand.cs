using System.CommandLine;
using Interlude.Cli.Top;
using Spectre.Console;

namespace Interlude.Cli.Commands;

/// <summary>Declares <c>interlude top</c>: a live view of a running process's loops, through its diagnostics port.</summary>
internal static class TopCommand
{
    internal const string Notes = """
        Attaches to a running .NET process that uses Interlude (its diagnostics port, as dotnet-counters does: the
        same user, and DOTNET_EnableDiagnostics not turned off) and shows, per loop and refreshed every interval: the
        share of time running work, wakes and sleeps per second, offloads completed and failed per second, coroutines
        in flight and submissions waiting for ring space; and the offload duration's p50, p95 and p99. The figures
        are the Interlude meter's (docs/telemetry.md), published by the process only while this view listens.

        Examples:
          interlude top --pid 12345
          interlude top --pid 12345 --interval 2 --samples 5 > loops.txt
        """;

    internal static Command Create()
    {
        var pid = new Option<int>("--pid") { Description = "The process to attach to.", Required = true };
        Option<double> interval = NumericOption.Real("--interval", "s", "Seconds between refreshes (0.1 to 60).", 1, 0.1, 60);
        Option<int> samples = NumericOption.Integer("--samples", "n", "Refreshes to show before exiting; 0 runs until Ctrl+C (0 to 1,000,000).", 0, 0, 1_000_000);
        var command = new Command("top", "A live view of a running process's Interlude loops: busy share, wakes, offload rates, queues and offload latency.")
        {
            pid, interval, samples,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(pid), TimeSpan.FromSeconds(parseResult.GetValue(interval)), parseResult.GetValue(samples), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int pid, TimeSpan interval, int samples, CancellationToken cancellationToken)
    {
        MetricsSession session;
        try
        {
            session = MetricsSession.Start(pid, interval);
        }
        catch (Exception e) when (e is Microsoft.Diagnostics.NETCore.Client.ServerNotAvailableException or UnauthorizedAccessException or IOException or ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"interlude top: cannot attach to process {pid}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        using (session)
        {
            var refreshes = System.Threading.Channels.Channel.CreateBounded<IReadOnlyCollection<MetricSample>>(
                new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropOldest });
            session.Refreshed += values => refreshes.Writer.TryWrite(values);
            int shown = 0;
            bool live = !Console.IsOutputRedirected;
            while (samples == 0 || shown < samples)
            {
                IReadOnlyCollection<MetricSample> values;
                try
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    wait.CancelAfter(interval * 5 + TimeSpan.FromSeconds(5));
                    values = await refreshes.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    string why = session.Ended is { } ended ? ended.Message : "no figures arrived";
                    await Console.Error.WriteLineAsync($"interlude top: process {pid}: {why}.").ConfigureAwait(false);
                    return 1;
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }

                shown++;
                if (live)
                {
                    AnsiConsole.Clear();
                    AnsiConsole.MarkupLine($"[bold]interlude top[/] process {pid}, every {interval.TotalSeconds:G} s (Ctrl+C to stop)");
                    var table = new Table();
                    foreach (string column in TopView.Columns)
                    {
                        table.AddColumn(new TableColumn(column).RightAligned());
                    }

                    foreach (string[] row in TopView.Rows(values, interval))
                    {
                        table.AddRow(row);
                    }

                    AnsiConsole.Write(table);
                    AnsiConsole.WriteLine(TopView.Durations(values));
                }
                else
                {
                    Console.Write(TopView.Text(values, interval));
                    Console.WriteLine();
                }
            }
        }

        return 0;
    }
}
