using System.Globalization;
using System.Net;
using Interlude.Deployment.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Interlude.Deployment.Tests;

/// <summary>
/// samples/Telemetry started in this process with the environment the manifests and the image give its container
/// (the image's ENV, then the ConfigMap through envFrom, then the container's env), read from deploy/: the probes'
/// paths answer 200, the settings reach the loop group and the host, and the autoscaler's metric is in the scrape.
/// Only pinning is turned off (this machine's cores are not the pod's) and the port is the system's choice.
/// </summary>
public sealed class ProbeTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60); // a guard against hangs, not a measurement

    [Fact]
    public async Task The_probes_answer_on_a_server_configured_as_the_manifests_configure_the_pod()
    {
        Manifests manifests = Manifests.Load();
        Manifest deployment = manifests.Single("Deployment");
        YamlNode container = ManifestTests.Containers(deployment).First();
        Dockerfile dockerfile = Dockerfile.Load();

        var environment = new Dictionary<string, string>(dockerfile.Runtime.Environment, StringComparer.Ordinal);
        foreach ((string name, string value) in manifests.EnvironmentOf(container))
        {
            environment[name] = value;
        }

        // The image's binding, on a port of the system's choosing: "+" must accept IPv4, which the kubelet probes with.
        string url = environment["ASPNETCORE_URLS"];
        string anyPort = url[..(url.LastIndexOf(':') + 1)] + "0";

        WebApplication app;
        using (new EnvironmentScope(environment))
        {
            app = Telemetry.TelemetryApp.Build(
                ["--urls", anyPort],
                builder =>
                {
                    builder.Logging.ClearProviders();
                    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Interlude:PinThreads"] = "false" });
                });
        }

        await using (app)
        {
            await app.StartAsync().WaitAsync(s_hangGuard);

            // The settings arrived: the loop count from the ConfigMap, the shutdown timeout from the env.
            Assert.Equal(int.Parse(environment["Interlude__LoopCount"], CultureInfo.InvariantCulture), app.Services.GetRequiredService<LoopGroup>().Count);
            Assert.Equal(
                TimeSpan.FromSeconds(int.Parse(environment["DOTNET_SHUTDOWNTIMEOUTSECONDS"], CultureInfo.InvariantCulture)),
                app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);

            int port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            foreach (string probe in new[] { "readinessProbe", "livenessProbe" })
            {
                string path = container.Get(probe, "httpGet", "path").Text()!;
                using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative)).WaitAsync(s_hangGuard);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{probe} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            // The autoscaler's metric, under its exact name, at the path Prometheus is told to scrape.
            string scrapePath = deployment.Root.Get("spec", "template", "metadata", "annotations", "prometheus.io/path").Text()!;
            string metric = manifests.Single("HorizontalPodAutoscaler").Root.Get("spec", "metrics").Items().First().Get("pods", "metric", "name").Text()!;
            string scrape = await client.GetStringAsync(new Uri(scrapePath, UriKind.Relative)).WaitAsync(s_hangGuard);
            Assert.True(
                scrape.Split('\n').Any(line => line.StartsWith(metric + "{", StringComparison.Ordinal)),
                $"No {metric} series in the scrape:{Environment.NewLine}{scrape}");

            await app.StopAsync().WaitAsync(s_hangGuard);
        }
    }

    /// <summary>Sets environment variables for the host builder to read, and restores them afterwards.</summary>
    private sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string?> _previous = new(StringComparer.Ordinal);

        public EnvironmentScope(IReadOnlyDictionary<string, string> variables)
        {
            foreach ((string name, string value) in variables)
            {
                _previous[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach ((string name, string? value) in _previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
