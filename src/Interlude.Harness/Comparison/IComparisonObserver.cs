using Interlude.Harness.Measurement;

namespace Interlude.Harness.Comparison;

/// <summary>What a <see cref="ComparisonRun"/> tells its caller as it goes; called on the run's controlling thread, one call at a time.</summary>
public interface IComparisonObserver
{
    /// <summary>Once, before the first configuration: what one request does.</summary>
    void OnRequestDescribed(string description);

    /// <summary>A configuration is about to run, for example "blocking, L = 10 us, N = 64".</summary>
    void OnConfigurationStarting(string description);

    /// <summary>Something the figures of a configuration cannot show by themselves.</summary>
    void OnWarning(string warning);

    /// <summary>A configuration finished.</summary>
    void OnResult(RunResult result);
}
