using Interlude;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Telemetry;

/// <summary>
/// A stock ASP.NET Core app on Interlude whose loops, offloads and health are watched the way a .NET team watches
/// the rest of its service: the <c>Interlude</c> meter through OpenTelemetry, scraped by Prometheus at
/// <c>/metrics</c> and pushed over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; readiness at
/// <c>/health</c>; the loop group configured from the <c>Interlude</c> section of the configuration.
/// </summary>
public static class TelemetryApp
{
    /// <summary>Builds the app (not started): the tests host it on a port of their choosing.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddInterlude(builder.Configuration.GetSection("Interlude"));
        builder.Services.AddHealthChecks().AddInterludeLoops(TimeSpan.FromSeconds(1));
        builder.Services.AddSingleton(_ => new CpuAccelerator(new CpuAcceleratorOptions { Threads = 1 }));

        OpenTelemetry.OpenTelemetryBuilder telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("interlude-telemetry-sample"))
            .WithMetrics(metrics => metrics
                .AddMeter("Interlude")
                .AddPrometheusExporter());
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Pushed to a collector: the metrics, and traces in which each request's offloads are spans of their
            // own (the Interlude source) under the request's (ASP.NET Core's own source).
            telemetry.WithMetrics(metrics => metrics.AddOtlpExporter());
            telemetry.WithTracing(tracing => tracing
                .AddSource("Interlude", "Microsoft.AspNetCore")
                .AddOtlpExporter());
        }

        builder.WebHost.UseInterlude();
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/health");

        // One offload per request: a SHA-256 of the body on the accelerator's thread while the loop serves others.
        app.MapPost("/digest", async (HttpRequest request, CpuAccelerator device) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            byte[] digest = await device.SubmitAsync(static data => System.Security.Cryptography.SHA256.HashData(data), body.ToArray());
            return Results.Text(Convert.ToHexStringLower(digest));
        });
        return app;
    }
}
