using System.Globalization;
using System.Runtime.InteropServices;
using Interlude.Harness.Comparison;
using Interlude.Harness.Modes;
using Interlude.Harness.Workload;

namespace Interlude.Harness.Reporting;

/// <summary>What the HTML report says about the run besides its results: a reader opening the file later has nothing else.</summary>
/// <param name="Heading">What was run, in a sentence.</param>
/// <param name="Machine">The machine, for example from <see cref="DescribeMachine"/>.</param>
/// <param name="Cores">Which cores ran the application and which the simulated device.</param>
/// <param name="Workload">The request mix and timing: c, L, N, warm-up and measured period.</param>
/// <param name="GeneratedAt">When the run finished.</param>
public sealed record HtmlReportContext(string Heading, string Machine, string Cores, string Workload, DateTimeOffset GeneratedAt)
{
    /// <summary>The command line that produced the results, for example "interlude demo --quick"; null leaves it out.</summary>
    public string? CommandLine { get; init; }

    /// <summary>Paragraphs printed under the results table: how columns were measured, warnings from the run.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The context of a comparison run (<c>interlude demo</c>, <c>interlude bench offload</c>), finishing now.</summary>
    /// <param name="commandLine">The command line that started the run; null leaves it out.</param>
    public static HtmlReportContext Describe(
        string heading, ComparisonSettings settings, CorePlacement placement, CpuWorkCalibration calibration, string? commandLine = null)
    {
        string application = placement.ApplicationCores.Count == 1
            ? $"core {placement.ApplicationCores[0]}"
            : $"cores {string.Join(',', placement.ApplicationCores)}";
        string cores = $"allowed {string.Join(',', placement.AllowedCores)}; every mode's application side on {application}; "
            + $"simulated device thread on core {placement.DeviceCore} "
            + (placement.DeviceSharesCore ? "(shares the application's core and sleeps when idle: the figures say little)" : "(spins, like hardware)");

        string concurrency = settings.Concurrency is { } n
            ? $"N = {n} in flight"
            : $"N = max({ComparisonSettings.DefaultConcurrency}, 2(L+c)/c) in flight";
        string workload = string.Create(
            CultureInfo.InvariantCulture,
            $"c = {settings.CpuUs:G} us of CPU work per request, half before and half after the offload (SHA-256 over "
            + $"{calibration.Work.Bytes:N0} B, calibrated at {calibration.MeasuredNs / 1000:F2} us per half); "
            + $"L = {string.Join(", ", settings.OffloadUs.Select(l => l.ToString("G", CultureInfo.InvariantCulture)))} us; "
            + $"{concurrency} ({(settings.RateRps is { } rate ? $"open loop: Poisson arrivals at {rate:G} req/s, N the most in service" : "closed loop")}; thread-per-request modes at most {ComparisonSettings.ThreadModeConcurrencyCap}); "
            + $"modes: {string.Join(", ", settings.Modes)}; per configuration {settings.WarmUp.TotalSeconds:G} s warm-up, "
            + $"{settings.Duration.TotalSeconds:G} s measured{(settings.Quick ? " (quick)" : string.Empty)}.");

        return new HtmlReportContext(heading, DescribeMachine(), cores, workload, DateTimeOffset.UtcNow)
        {
            CommandLine = commandLine,
            Notes =
            [
                "CPU us/req and csw/req: getrusage over the measured period for the whole process minus the simulated device's thread, "
                    + $"which spins on core {placement.DeviceCore} whatever the application does.",
                "others: cores' worth of CPU used by other processes during the run (/proc/stat); above about 0.1 they competed for "
                    + "these cores and the row understates the mode.",
            ],
        };
    }

    /// <summary>The processor model, logical CPU count, operating system and .NET version, as far as they can be read.</summary>
    public static string DescribeMachine()
    {
        string cpu = CpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString();
        return $"{cpu}, {Environment.ProcessorCount} logical CPUs; {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}";
    }

    private static string? CpuModel()
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo"))
            {
                return null;
            }

            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                // x86 names it "model name"; some ARM kernels give only "Hardware".
                if (line.StartsWith("model name", StringComparison.Ordinal) || line.StartsWith("Hardware", StringComparison.Ordinal))
                {
                    int colon = line.IndexOf(':', StringComparison.Ordinal);
                    string value = colon >= 0 ? line[(colon + 1)..].Trim() : string.Empty;
                    if (value.Length > 0)
                    {
                        return value;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The description is a courtesy; the report is still worth writing without it.
        }

        return null;
    }
}
