using Interlude.Harness.Measurement;
using Interlude.Harness.Tests.Infrastructure;
using Interlude.Harness.Tls;
using Xunit;

namespace Interlude.Harness.Tests;

/// <summary>The gateway part of <c>bench tls</c>: h2load's per-request log and the figures made from it.</summary>
public sealed class GatewayBenchTests
{
    [Fact]
    public void The_log_gives_every_requests_latency_in_nanoseconds()
    {
        (LatencyHistogram latencies, long notOk) = H2loadLog.Parse(H2loadFixtures.GatewayLog);

        Assert.Equal(12, latencies.Count);
        Assert.Equal(0, notOk);
        Assert.Equal(716_000, latencies.Min);
        Assert.Equal(18_825_000, latencies.Max);
    }

    [Fact]
    public void Failed_streams_and_other_statuses_are_counted_apart_from_the_latencies()
    {
        // h2load writes -1 for a failed stream; the 503 is the gateway's answer to an overloaded engine.
        (LatencyHistogram latencies, long notOk) = H2loadLog.Parse("1\t200\t100\n2\t-1\t5000\n3\t503\t90\n");

        Assert.Equal(1, latencies.Count);
        Assert.Equal(2, notOk);
    }

    [Fact]
    public void A_line_that_is_not_a_log_line_is_rejected()
    {
        Assert.Throws<FormatException>(() => H2loadLog.Parse("1\tOK\t100\n"));
    }

    [Fact]
    public void Tokens_per_second_count_only_2xx_and_cpu_per_request_leaves_out_the_engine()
    {
        (LatencyHistogram latencies, long notOk) = H2loadLog.Parse(H2loadFixtures.GatewayLog);
        H2loadResult summary = TlsSamples.H2load(seconds: 0.5, succeeded: 14);

        GatewayResult result = GatewayBench.From(
            TlsModes.OffloadAsync, summary, latencies, notOk, wallSeconds: 0.6, processCpu: TimeSpan.FromMilliseconds(30), engineCpu: TimeSpan.FromMilliseconds(12), hasEngine: true);

        Assert.Equal(14, result.Requests);
        Assert.Equal(12, result.Succeeded);
        Assert.Equal(2, result.Failed);
        Assert.Equal(12 / 0.5, result.TokensPerSecond, 9);
        Assert.InRange(result.P99Us, 18_700, 18_900);
        Assert.InRange(result.P50Us, 7_000, 7_200);
        if (ResourceUsage.IsAvailable)
        {
            Assert.Equal(18_000.0 / 12, result.AppCpuUsPerRequest, 6);
        }

        Assert.Equal(0.012 / 0.6, result.EngineUtilization!.Value, 9);
    }

    [Fact]
    public void The_keep_alive_arguments_post_the_body_and_log_every_request()
    {
        IReadOnlyList<string> arguments = H2load.KeepAliveArguments(new Uri("https://127.0.0.1:5443/tokens"), 3000, 16, 1, "/tmp/body.json", "/tmp/log.tsv");

        Assert.Equal(
            ["--h1", "-n", "3000", "-c", "16", "-t", "1", "-m", "1", "-d", "/tmp/body.json", "-H", "content-type: application/json", "--log-file", "/tmp/log.tsv", "https://127.0.0.1:5443/tokens"],
            arguments);
    }
}
