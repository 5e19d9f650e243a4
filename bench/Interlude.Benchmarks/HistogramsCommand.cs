using System.CommandLine;
using Interlude.Benchmarks.Histograms;

namespace Interlude.Benchmarks;

/// <summary><c>histograms</c>: the harness's latency histogram against HdrHistogram, on what the harness needs of one.</summary>
internal static class HistogramsCommand
{
    internal static Command Create()
    {
        var command = new Command(
            "histograms",
            "Compare the harness's LatencyHistogram with HdrHistogram: percentile accuracy, memory, record cost and allocation, merge.");
        command.SetAction(_ =>
        {
            HistogramComparison.Run(Console.Out);
            return 0;
        });
        return command;
    }
}
