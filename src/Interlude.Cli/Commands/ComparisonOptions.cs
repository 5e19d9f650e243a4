using System.CommandLine;
using Interlude.Harness.Comparison;
using Interlude.Harness.Modes;

namespace Interlude.Cli.Commands;

/// <summary>
/// The options shared by <c>interlude demo</c> and <c>interlude bench offload</c>; the two differ only in their
/// defaults (the demo sweeps every offload latency and writes an HTML report).
/// </summary>
internal sealed class ComparisonOptions
{
    private readonly Option<string?> _modes;
    private readonly Option<double[]?> _offloadUs;
    private readonly Option<double> _cpuUs;
    private readonly Option<int?> _concurrency;
    private readonly Option<double?> _duration;
    private readonly Option<string> _load;
    private readonly Option<double?> _rate;
    private readonly Option<double?> _stallThresholdMs;
    private readonly Option<bool> _quick;
    private readonly Option<FileInfo?> _json;
    private readonly Option<FileInfo?> _html;
    private readonly IReadOnlyList<string> _defaultModes;
    private readonly IReadOnlyList<double> _defaultOffloadUs;
    private readonly int? _defaultConcurrency;
    private readonly double _defaultDurationSeconds;
    private readonly string? _defaultHtml;

    internal ComparisonOptions(
        IReadOnlyList<string> defaultModes, IReadOnlyList<double> defaultOffloadUs, int? defaultConcurrency, double defaultDurationSeconds, string? defaultHtml)
    {
        _defaultModes = defaultModes;
        _defaultOffloadUs = defaultOffloadUs;
        _defaultConcurrency = defaultConcurrency;
        _defaultDurationSeconds = defaultDurationSeconds;
        _defaultHtml = defaultHtml;

        _modes = new Option<string?>("--modes")
        {
            Description = $"Execution modes to compare, comma-separated, from: {string.Join(", ", ExecutionModes.Names)} "
                + $"[default: {string.Join(",", defaultModes)}].",
            HelpName = "list",
        };
        _modes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text)
            {
                foreach (string name in text.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (!ExecutionModes.IsKnown(name))
                    {
                        r.AddError($"--modes: unknown mode '{name}'; known modes: {string.Join(", ", ExecutionModes.Names)}.");
                    }
                }
            }
        });

        _offloadUs = NumericOption.RealList(
            "--offload-us",
            "list",
            "L: the simulated accelerator's service time per request in microseconds, comma-separated to sweep "
                + $"(each 0 to 1,000,000) [default: {string.Join(",", defaultOffloadUs)}].",
            0,
            ComparisonSettings.MaxOffloadUs);

        _cpuUs = NumericOption.Real(
            "--cpu-us",
            "us",
            "c: CPU work per request in microseconds (above 0, up to 10,000), split evenly before and after the offload. "
                + "Real computation (SHA-256), calibrated at start-up.",
            ComparisonSettings.DefaultCpuUs,
            min: 0,
            max: ComparisonSettings.MaxCpuUs,
            minIsAllowed: false);

        _concurrency = NumericOption.OptionalInteger(
            "--concurrency",
            "n",
            "N: requests in flight (1 to 10,000). Closed loop: N workers, each issuing its next request as soon as one completes; "
                + "open loop: the most requests in service at once "
                + (defaultConcurrency is { } n
                    ? $"[default: {n}]."
                    : $"[default: max({ComparisonSettings.DefaultConcurrency}, 2(L+c)/c) for each L, so the CPU never runs dry]."),
            1,
            ComparisonSettings.MaxConcurrency);

        _duration = NumericOption.OptionalReal(
            "--duration",
            "s",
            $"Measured seconds per configuration, after an uncounted warm-up (0.1 to 60) [default: {defaultDurationSeconds:G}, "
                + $"or {ComparisonSettings.QuickDurationSeconds:G} with --quick].",
            ComparisonSettings.MinDurationSeconds,
            ComparisonSettings.MaxDurationSeconds);

        _load = new Option<string>("--load")
        {
            Description = "closed: N workers, each issuing its next request as soon as one completes. open: Poisson arrivals at "
                + "--rate, served by at most N at once, latency counted from each arrival's scheduled time.",
            HelpName = "closed|open",
            DefaultValueFactory = _ => ComparisonSettings.ClosedLoad,
        };
        _load.AcceptOnlyFromAmong(ComparisonSettings.ClosedLoad, ComparisonSettings.OpenLoad);

        _rate = NumericOption.OptionalReal(
            "--rate",
            "req/s",
            $"Open loop: the target arrival rate in requests per second (above 0, up to {ComparisonSettings.MaxRateRps:N0}); required with --load open.",
            0,
            ComparisonSettings.MaxRateRps,
            minIsAllowed: false);

        // Checked on --load, which always has a value, so that a missing --rate is reported too.
        _load.Validators.Add(r =>
        {
            bool open = r.GetValueOrDefault<string>() == ComparisonSettings.OpenLoad;
            bool rateGiven = r.GetResult(_rate) is { Implicit: false };
            if (open && !rateGiven)
            {
                r.AddError("--load open needs --rate: the target arrival rate in requests per second.");
            }
            else if (!open && rateGiven)
            {
                r.AddError("--rate applies only to --load open.");
            }
        });

        _stallThresholdMs = NumericOption.OptionalReal(
            "--stall-threshold-ms",
            "ms",
            "Interlude's stall detector: a step longer than this is reported; 0 turns the detector off "
                + $"(0 to 60,000) [default: the runtime's, {new LoopGroupOptions().StallThreshold.TotalMilliseconds:G}].",
            0,
            ComparisonSettings.MaxStallThresholdMs);

        _quick = new Option<bool>("--quick")
        {
            Description = "Shorter warm-up, calibration and measurement.",
        };

        _json = OutputFile.Create(
            "--json",
            "Also write the results to this file as JSON Lines, one object per configuration (docs/benchmarks.md). "
                + "Written only if the run completes; an existing file is replaced.");

        _html = OutputFile.Create(
            "--html",
            "Write a self-contained HTML report (inline SVG charts) to this file"
                + (defaultHtml is null ? "." : $" [default: {defaultHtml}]."));
    }

    /// <summary>Adds every option to <paramref name="command"/> and makes it run the comparison they describe.</summary>
    internal Command Attach(Command command, string heading)
    {
        foreach (Option option in All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) => ComparisonRunner.RunAsync(Read(parseResult), heading, cancellationToken));
        return command;
    }

    internal IEnumerable<Option> All => [_modes, _offloadUs, _cpuUs, _concurrency, _duration, _load, _rate, _stallThresholdMs, _quick, _json, _html];

    internal ComparisonSettings Read(ParseResult parseResult)
    {
        bool quick = parseResult.GetValue(_quick);
        double seconds = parseResult.GetValue(_duration) ?? (quick ? ComparisonSettings.QuickDurationSeconds : _defaultDurationSeconds);
        IReadOnlyList<string> modes = parseResult.GetValue(_modes) is { } text
            ? text.Split(',', StringSplitOptions.TrimEntries).Select(m => m.ToLowerInvariant()).ToArray()
            : _defaultModes;
        return new ComparisonSettings(
            modes,
            parseResult.GetValue(_offloadUs) is { Length: > 0 } offloads ? offloads : _defaultOffloadUs,
            parseResult.GetValue(_cpuUs),
            parseResult.GetValue(_concurrency) ?? _defaultConcurrency,
            TimeSpan.FromSeconds(seconds),
            quick,
            parseResult.GetValue(_json),
            parseResult.GetValue(_html) ?? (_defaultHtml is null ? null : new FileInfo(_defaultHtml)),
            parseResult.GetValue(_stallThresholdMs) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            parseResult.GetValue(_load) == ComparisonSettings.OpenLoad ? parseResult.GetValue(_rate) : null);
    }
}
