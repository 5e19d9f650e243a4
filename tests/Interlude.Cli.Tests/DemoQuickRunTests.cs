using System.Text.Json;
using System.Text.RegularExpressions;
using Interlude.Cli.Tests.Infrastructure;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cli.Tests;

public sealed partial class DemoQuickRunTests : IClassFixture<QuickDemoRun>
{
    private readonly QuickDemoRun _demo;

    public DemoQuickRunTests(QuickDemoRun demo) => _demo = demo;

    [Fact]
    public void TheQuickDemoCompletesWithExitCodeZero()
    {
        Assert.True(_demo.Run.ExitCode == 0, _demo.Run.Transcript);
    }

    [Fact]
    public void TheJsonFileHoldsOneObjectPerConfigurationTheConsoleReported()
    {
        string[] reported = ConfigurationLine().Matches(_demo.Run.Output).Select(m => m.Groups["mode"].Value).ToArray();

        Assert.True(File.Exists(_demo.JsonPath), _demo.Run.Transcript);
        Assert.NotEmpty(reported);
        Assert.Equal(reported, _demo.Objects.Select(o => o.GetProperty("mode").GetString()));
        Assert.Contains($"Wrote {_demo.Objects.Length} results", _demo.Run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EachConfigurationAppearsOnceInTheJson()
    {
        string[] keys = _demo.Objects
            .Select(o => $"{o.GetProperty("mode").GetString()} L={o.Number("offload_us")} c={o.Number("cpu_us")} N={Concurrency(o)}")
            .ToArray();

        Assert.NotEmpty(keys);
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EveryObjectHasSaneFiguresForTheOptionsGiven()
    {
        Assert.NotEmpty(_demo.Objects);
        foreach (JsonElement o in _demo.Objects)
        {
            string text = o.GetRawText();
            Assert.False(string.IsNullOrWhiteSpace(o.GetProperty("mode").GetString()), text);
            Assert.True(o.Number("offload_us") == QuickDemoRun.OffloadUs, text);
            Assert.True(o.Number("cpu_us") > 0, text);
            Assert.True(o.Number("throughput_rps") > 0, text);
            Assert.True(o.Number("efficiency") > 0 && double.IsFinite(o.Number("efficiency")), text);
            double p50 = o.Number("p50_us");
            double p99 = o.Number("p99_us");
            double p999 = o.Number("p999_us");
            Assert.True(p50 > 0 && p50 <= p99 && p99 <= p999, $"percentiles out of order: {text}");
            Assert.True(o.Number("cpu_us_per_request") > 0, text);
            Assert.True(o.Number("csw_per_request") >= 0, text);
        }
    }

    [Fact]
    public void TheConsoleShowsTheResultsTable()
    {
        string[] lines = _demo.Run.Output.Split('\n');

        Assert.Contains(
            lines,
            line => line.Contains("Mode", StringComparison.Ordinal)
                && line.Contains("req/s", StringComparison.Ordinal)
                && line.Contains("p50 us", StringComparison.Ordinal)
                && line.Contains("p99 us", StringComparison.Ordinal)
                && line.Contains("p99.9 us", StringComparison.Ordinal));
    }

    [Fact]
    public void NoLoopReportsAnUnhandledException()
    {
        Assert.DoesNotContain("unhandled", _demo.Run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("threw", _demo.Run.Error, StringComparison.Ordinal);
    }

    private static string Concurrency(JsonElement o)
        => o.TryGetProperty("concurrency", out JsonElement n) ? n.GetRawText() : "?";

    [GeneratedRegex(@"^(?<mode>[a-z][a-z0-9-]*): [\d,.]+ req/s", RegexOptions.Multiline)]
    private static partial Regex ConfigurationLine();
}
