using System.CommandLine;
using Interlude.Harness.Modes;

namespace Interlude.Cli.Commands;

/// <summary>Declares <c>interlude bench offload</c>: the comparison for chosen modes and latencies, for scripts.</summary>
internal static class BenchOffloadCommand
{
    internal const int DefaultConcurrency = 64;
    internal const double DefaultDurationSeconds = 3;
    internal static readonly double[] DefaultOffloadUs = [10];

    internal const string Notes = """
        Runs the handler of 'interlude demo' for every (mode, offload latency) asked for and prints the same figures;
        see 'interlude demo --help' for the modes and the columns, and docs/benchmarks.md for the JSON fields.

        Examples:
          interlude bench offload --modes blocking,busywait,threadpool,interlude --offload-us 1,10,100,1000 --cpu-us 2 --concurrency 64 --duration 3 --json out.jsonl
          interlude bench offload --modes interlude-poll,interlude-block,interlude-adaptive --offload-us 50
        """;

    internal static Command Create()
    {
        var options = new ComparisonOptions(
            ExecutionModes.Comparison, DefaultOffloadUs, DefaultConcurrency, DefaultDurationSeconds, defaultHtml: null);
        var command = new Command(
            "offload",
            "Measure the offloading handler under chosen execution modes and offload latencies; print, and optionally write JSON and HTML.");
        return options.Attach(command, "Interlude bench offload: one request handler under each execution mode and offload latency asked for.");
    }
}
