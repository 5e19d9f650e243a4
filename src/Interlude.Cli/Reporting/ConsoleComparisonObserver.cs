using Interlude.Harness.Comparison;
using Interlude.Harness.Measurement;

namespace Interlude.Cli.Reporting;

/// <summary>A comparison's progress on the console: a progress step per configuration, a line per result.</summary>
internal sealed class ConsoleComparisonObserver : IComparisonObserver
{
    private readonly ConsoleReport _report;
    private readonly Action<string> _progress;

    internal ConsoleComparisonObserver(ConsoleReport report, Action<string> progress)
    {
        _report = report;
        _progress = progress;
    }

    public void OnRequestDescribed(string description) => _report.WriteLine($"Request: {description}.");

    public void OnConfigurationStarting(string description) => _progress(description);

    public void OnWarning(string warning) => _report.WriteWarning(warning);

    public void OnResult(RunResult result) => _report.WriteResult(result);
}
