using BenchmarkDotNet.Running;
using Interlude.Benchmarks.Latency;

namespace Interlude.Benchmarks;

/// <summary>
/// Entry point. <c>latency</c> runs the completion-to-continuation latency harness; anything else goes to
/// BenchmarkDotNet (for example <c>--filter '*' --job short</c>). <c>--quick</c> is shorthand for <c>--job short</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && string.Equals(args[0], "latency", StringComparison.OrdinalIgnoreCase))
        {
            return LatencyHarness.Run(args[1..]);
        }

        string[] switcherArgs = args
            .SelectMany(a => a == "--quick" ? new[] { "--job", "short" } : [a])
            .ToArray();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(switcherArgs);
        return 0;
    }
}
