using System.Net;
using Interlude.Harness.OpenLoop;
using Interlude.Harness.Tests.Infrastructure;
using Interlude.Harness.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Interlude.Harness.Tests;

/// <summary>
/// The open-loop client against servers that answer late: requests are sent when due whatever is outstanding, and
/// their latency runs from when they were due, so time spent queued behind a slow or stalled server is counted.
/// Only lower bounds the server's own delays guarantee are checked, never how fast anything ran.
/// </summary>
public sealed class OpenLoopClientTests
{
    [Fact]
    public async Task Behind_a_slow_server_on_one_connection_the_queued_requests_latency_grows_from_their_send_time()
    {
        const int Requests = 20;
        TimeSpan service = TimeSpan.FromMilliseconds(20);
        await using WebApplication app = await StartAsync(async () => await Task.Delay(service));
        var settings = new OpenLoopClientSettings(Url(app), "{}"u8.ToArray(), "application/json", Rate: 200, Requests, Connections: 1, ArrivalProcess.Constant, Seed: 1);

        OpenLoopClientResult result = await OpenLoopClient.RunAsync(settings, CancellationToken.None).WaitAsync(Timeouts.BenchRun);

        Assert.All(result.Statuses, status => Assert.Equal(200, status));
        // One connection, one request at a time, each held at least 20 ms: request i ends no earlier than
        // (i + 1) × 20 ms after the first was due, whatever its own send time was (5 ms apart).
        for (int i = 0; i < Requests; i++)
        {
            double boundUs = (result.ScheduledNs[0] - result.ScheduledNs[i]) / 1000.0 + (i + 1) * service.TotalMicroseconds;
            Assert.True(result.LatenciesUs[i] >= boundUs - 1, $"request {i}: {result.LatenciesUs[i]} us, less than the {boundUs} us it waited at least");
        }

        Assert.True(result.LatenciesUs[^1] > 10 * service.TotalMicroseconds, $"the last request's latency, {result.LatenciesUs[^1]} us, leaves out its wait");
    }

    [Fact]
    public async Task A_stalled_server_does_not_hold_back_the_next_sends_and_each_is_charged_its_wait()
    {
        const int Requests = 10;
        var arrived = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using WebApplication app = await StartAsync(async () =>
        {
            // Nothing is answered until every request has arrived: a client that waits for answers before sending never gets there.
            if (Interlocked.Increment(ref arrived) == Requests)
            {
                release.SetResult();
            }

            await release.Task;
        });
        var settings = new OpenLoopClientSettings(Url(app), "{}"u8.ToArray(), "application/json", Rate: 500, Requests, Connections: 64, ArrivalProcess.Poisson, Seed: 3);

        OpenLoopClientResult result = await OpenLoopClient.RunAsync(settings, CancellationToken.None).WaitAsync(Timeouts.BenchRun);

        Assert.All(result.Statuses, status => Assert.Equal(200, status));
        for (int i = 0; i < Requests; i++)
        {
            double waitedUs = (result.ScheduledNs[^1] - result.ScheduledNs[i]) / 1000.0;
            Assert.True(result.LatenciesUs[i] >= waitedUs - 1, $"request {i}: {result.LatenciesUs[i]} us, less than the {waitedUs} us until the last was due");
        }
    }

    [Fact]
    public void The_log_reads_back_as_h2loads_with_failures_apart()
    {
        var result = new OpenLoopClientResult(
            DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), [1_000_000, 2_500_000, 4_000_000], [200, -1, 503], [1500, 30_000_000, 800]);

        string log = result.ToLog();
        (Measurement.LatencyHistogram latencies, long notOk) = H2loadLog.Parse(log);

        Assert.Equal(1, latencies.Count);
        Assert.Equal(2, notOk);
        Assert.StartsWith("1700000000001000\t200\t1500\n", log, StringComparison.Ordinal);
        Assert.Equal(30.0025, result.FinishedSeconds, 6);
    }

    [Fact]
    public void The_child_process_arguments_and_summary_line_carry_the_settings_and_the_run_time()
    {
        var settings = new OpenLoopClientSettings(new Uri("http://127.0.0.1:5000/detect"), [], "image/jpeg", 37.5, 375, 64, ArrivalProcess.Poisson, 9);

        IReadOnlyList<string> arguments = OpenLoopProcess.Arguments(settings, "/tmp/body", "/tmp/log");
        var result = new OpenLoopClientResult(DateTimeOffset.UnixEpoch, [1_000_000_000], [200], [250_000]);

        Assert.Equal(
            ["--url", "http://127.0.0.1:5000/detect", "--body", "/tmp/body", "--content-type", "image/jpeg", "--rate", "37.5", "--requests", "375",
                "--connections", "64", "--arrivals", "poisson", "--seed", "9", "--log-file", "/tmp/log"],
            arguments);
        Assert.Equal(1.25, OpenLoopProcess.ParseFinishedSeconds("warming\n" + OpenLoopProcess.Summary(result) + "\n"));
        Assert.Throws<FormatException>(() => OpenLoopProcess.ParseFinishedSeconds("nothing here"));
    }

    private static Uri Url(WebApplication app)
        => new(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "work");

    private static async Task<WebApplication> StartAsync(Func<Task> handle)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        app.MapPost("/work", async (HttpContext context) =>
        {
            await handle();
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }
}
