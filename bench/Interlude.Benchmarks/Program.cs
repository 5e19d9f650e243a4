using System.CommandLine;
using BenchmarkDotNet.Running;

namespace Interlude.Benchmarks;

/// <summary>
/// Entry point. <c>latency</c> runs the completion-to-continuation ping of the harness (the same measurement as
/// <c>interlude bench wake --sections ping</c>); <c>histograms</c> compares the harness's latency histogram with
/// HdrHistogram; anything else goes to BenchmarkDotNet (for example
/// <c>--filter '*' --job short</c>), with <c>--quick</c> as shorthand for <c>--job short</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var quick = new Option<bool>("--quick") { Description = "Shorthand for BenchmarkDotNet's --job short." };
        var root = new RootCommand(
            "Interlude's micro-benchmarks (BenchmarkDotNet), its completion latency ping and a histogram comparison. Arguments this command does not "
            + "know go to BenchmarkDotNet, for example --filter '*' --job short, or --list flat.")
        {
            quick,
            LatencyCommand.Create(),
            HistogramsCommand.Create(),
        };

        // BenchmarkDotNet has its own options; they pass through untouched.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction(parseResult =>
        {
            string[] switcherArgs = parseResult.GetValue(quick) ? ["--job", "short", .. parseResult.UnmatchedTokens] : [.. parseResult.UnmatchedTokens];
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(switcherArgs);
            return 0;
        });
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
