using System.CommandLine;

namespace Interlude.Cli.Commands;

/// <summary>Declares <c>interlude demo</c>: its options, their checks and its action.</summary>
internal static class DemoCommand
{
    /// <summary>Shown after the options by <c>interlude demo --help</c>.</summary>
    internal const string Notes = """
        What it does:
          Each request runs SHA-256 (c/2 of real CPU work), awaits an offload of L on a simulated accelerator, then runs
          SHA-256 again (c/2). N coroutines issue requests back to back on Interlude loops, one loop per application core.
          The device thread is pinned to the last allowed core and spins like hardware; the loops run on the others.
          The workload runs once per wait strategy: Poll (spin), Block (sleep when idle), Adaptive (spin, then sleep).

        Output:
          One line per configuration as it finishes, then a table.
          bound      min(1/c, N/(L+c)) per application core; c is the request's CPU work timed alone on the loop, the
                     mean of a reading right before and one right after the configuration (the machine's speed drifts).
          eff.       achieved req/s divided by the bound.
          p50..p99.9 request latency, issue to completion (log-bucket histogram, within 0.4%).
          CPU us/req getrusage over the measured period for the whole process, less the device thread (it spins anyway).
          csw/req    voluntary + involuntary context switches per request, counted the same way.
          busy       share of the measured period the loops ran work; near 100% with eff. below 1 means the loop
                     spends time per request beyond c (runtime overhead), lower means it waited for completions.
          sleeps/req, wakes/req  how often the loops slept, and were woken by a completion.
          others     cores' worth of CPU other processes used meanwhile; above ~0.1 they competed with the demo.

        Examples:
          interlude demo --quick
          interlude demo --offload-us 50 --cpu-us 5 --concurrency 16
          interlude demo --duration 5 --json results.jsonl
          interlude demo --stall-threshold-ms 0     (without the stall detector's periodic sampling)
        """;

    internal static Command Create()
    {
        Option<double> offloadUs = NumericOption.Real(
            "--offload-us",
            "us",
            "L: the simulated accelerator's service time per request, in microseconds (0 to 1,000,000; resolution 0.1).",
            DemoSettings.DefaultOffloadUs,
            min: 0,
            max: DemoSettings.MaxOffloadUs);

        Option<double> cpuUs = NumericOption.Real(
            "--cpu-us",
            "us",
            "c: CPU work per request in microseconds (above 0, up to 10,000), split evenly before and after the offload. "
                + "Real computation (SHA-256), calibrated at start-up.",
            DemoSettings.DefaultCpuUs,
            min: 0,
            max: DemoSettings.MaxCpuUs,
            minIsAllowed: false);

        Option<int> concurrency = NumericOption.Integer(
            "--concurrency",
            "n",
            "N: requests in flight (1 to 10,000). Closed loop: N workers, each issuing its next request as soon as one completes.",
            DemoSettings.DefaultConcurrency,
            min: 1,
            max: DemoSettings.MaxConcurrency);

        Option<double?> duration = NumericOption.OptionalReal(
            "--duration",
            "s",
            "Measured seconds per configuration, after an uncounted warm-up (0.1 to 60) [default: 2, or 1 with --quick].",
            DemoSettings.MinDurationSeconds,
            DemoSettings.MaxDurationSeconds);

        Option<double?> stallThresholdMs = NumericOption.OptionalReal(
            "--stall-threshold-ms",
            "ms",
            "The loops' stall detector: a step longer than this is reported; 0 turns the detector off "
                + $"(0 to 60,000) [default: the runtime's, {new LoopGroupOptions().StallThreshold.TotalMilliseconds:G}].",
            0,
            DemoSettings.MaxStallThresholdMs);

        var quick = new Option<bool>("--quick")
        {
            Description = "Shorter warm-up, calibration and measurement: the whole demo takes a few seconds.",
        };

        var json = new Option<FileInfo?>("--json")
        {
            Description = "Also write the results to this file as JSON Lines, one object per configuration. "
                + "Written only if the demo completes; an existing file is replaced.",
            HelpName = "file",
        };
        json.AcceptLegalFilePathsOnly();
        json.Validators.Add(r =>
        {
            if (r.Errors.Any() || r.GetValueOrDefault<FileInfo?>() is not { } file)
            {
                return;
            }

            if (Directory.Exists(file.FullName))
            {
                r.AddError($"--json: '{file.FullName}' is a directory; give a file name.");
            }
            else if (file.Directory is { Exists: false } directory)
            {
                r.AddError($"--json: the directory '{directory.FullName}' does not exist.");
            }
        });

        var command = new Command(
            "demo",
            "Show the runtime at work: an offloading request handler on Interlude's loops under each wait strategy, "
            + "measured against the per-core throughput bound.")
        {
            offloadUs,
            cpuUs,
            concurrency,
            duration,
            stallThresholdMs,
            quick,
            json,
        };

        command.SetAction((parseResult, cancellationToken) =>
        {
            bool isQuick = parseResult.GetValue(quick);
            double seconds = parseResult.GetValue(duration)
                ?? (isQuick ? DemoSettings.QuickDurationSeconds : DemoSettings.DefaultDurationSeconds);
            var settings = new DemoSettings(
                parseResult.GetValue(offloadUs),
                parseResult.GetValue(cpuUs),
                parseResult.GetValue(concurrency),
                TimeSpan.FromSeconds(seconds),
                isQuick,
                parseResult.GetValue(json),
                parseResult.GetValue(stallThresholdMs) is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
            return DemoRunner.RunAsync(settings, cancellationToken);
        });

        return command;
    }
}
