using System.CommandLine;
using Interlude.Harness.Comparison;
using Interlude.Harness.Modes;

namespace Interlude.Cli.Commands;

/// <summary>Declares <c>interlude demo</c>: the four-mode comparison swept over offload latency, with a report.</summary>
internal static class DemoCommand
{
    internal const string DefaultHtml = "interlude-demo.html";

    /// <summary>Shown after the options by <c>interlude demo --help</c>.</summary>
    internal const string Notes = """
        What it does:
          Each request runs SHA-256 (c/2 of real CPU work), awaits an offload of L on a simulated accelerator, then runs
          SHA-256 again (c/2). The same handler runs under each execution mode, for each L:
            blocking    one thread per request in flight, blocked (no spinning) until the device wakes it
            busywait    one thread per request in flight, spinning until the device completes
            threadpool  .NET's default: async handlers; the completion resumes them through the ThreadPool
            interlude   the same async handlers as coroutines on Interlude's per-core loops (Adaptive waiting)
          The device thread is pinned to the last allowed core and spins like hardware; every mode's application side
          is confined to the other cores.

        Output:
          A line per configuration as it finishes, then a table, the ratios between modes for each L, and the HTML report.
          bound      min(1/c, N/(L+c)) per application core; c is the request's CPU work timed alone on the application
                     side, the mean of a reading right before and one right after the configuration (speed drifts).
          eff.       achieved req/s divided by the bound.
          p50..p99.9 request latency, issue to completion (log-bucket histogram, within 0.4%).
          CPU us/req getrusage over the measured period for the whole process, less the device thread (it spins anyway).
          csw/req    voluntary + involuntary context switches per request, counted the same way.
          busy, sleeps/req, wakes/req  Interlude's loops: share of time running work, sleeps and wakes per request.
          others     cores' worth of CPU other processes used meanwhile; above ~0.1 they competed with the run.

        Examples:
          interlude demo --quick
          interlude demo --offload-us 10 --modes threadpool,interlude --concurrency 64
          interlude demo --json results.jsonl --html report.html
        """;

    internal static Command Create()
    {
        var options = new ComparisonOptions(
            ExecutionModes.Comparison, ComparisonSettings.SweepOffloadUs, defaultConcurrency: null, ComparisonSettings.DefaultDurationSeconds, DefaultHtml);
        var command = new Command(
            "demo",
            "Show whether transparent coroutines beat context switching and busy waiting: the same offloading handler under "
            + "four execution modes, swept over offload latency from 1 us to 1 ms, measured against the per-core bound.");
        return options.Attach(command, "Interlude demo: one request handler under four execution modes, swept over the offload latency.");
    }
}
