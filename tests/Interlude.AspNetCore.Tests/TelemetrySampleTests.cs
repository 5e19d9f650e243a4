using Interlude.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Interlude.AspNetCore.Tests;

/// <summary>
/// samples/Telemetry: the Interlude meter reaches a Prometheus scrape through OpenTelemetry, with the names and units
/// docs/telemetry.md lists, and the health endpoint answers from the loops' health check.
/// </summary>
public sealed class TelemetrySampleTests
{
    [Fact]
    public async Task Offloads_show_in_the_prometheus_scrape_under_their_semantic_names_and_health_answers()
    {
        await using WebApplication app = Telemetry.TelemetryApp.Build(
            ["--urls", "http://127.0.0.1:0"],
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Interlude:LoopCount"] = "2",
                    ["Interlude:PinThreads"] = "false",
                });
            });
        await app.StartAsync().Guarded();
        using var client = new HttpClient
        {
            BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()),
        };

        for (int i = 0; i < 20; i++)
        {
            using var body = new StringContent("hello");
            HttpResponseMessage digest = await client.PostAsync(new Uri("/digest", UriKind.Relative), body).Guarded();
            Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", await digest.Content.ReadAsStringAsync());
        }

        string scrape = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)).Guarded();
        string health = await client.GetStringAsync(new Uri("/health", UriKind.Relative)).Guarded();

        Assert.Equal("Healthy", health);
        long completed = Sum(scrape, "interlude_offload_completed_total");
        Assert.True(completed >= 20, $"interlude_offload_completed_total is {completed}:{Environment.NewLine}{scrape}");
        Assert.Contains("interlude_offload_duration_seconds_bucket", scrape, StringComparison.Ordinal);
        Assert.Contains("interlude_loop_utilization", scrape, StringComparison.Ordinal);
        Assert.Contains("interlude_loop_index=\"1\"", scrape, StringComparison.Ordinal);
        Assert.Contains("interlude_coroutine_ended_total{", scrape, StringComparison.Ordinal);
        await app.StopAsync().Guarded();
    }

    /// <summary>The sum of a counter's samples over its label sets, from the Prometheus text format.</summary>
    private static long Sum(string scrape, string name)
    {
        long sum = 0;
        foreach (string line in scrape.Split('\n'))
        {
            if (line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                // name{labels} value [timestamp]
                string rest = line[(line.LastIndexOf('}') is int brace and >= 0 ? brace + 1 : name.Length)..].Trim();
                sum += (long)double.Parse(rest.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
