using System.Net;
using Interlude.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Interlude.AspNetCore.Tests;

/// <summary>
/// <c>services.AddInterlude(configuration)</c>: a loop group bound from configuration and checked at start, served
/// on by <c>UseInterlude()</c>, started and stopped with the host; and the health check of its loops.
/// </summary>
public sealed class HostingTests
{
    [Theory]
    [InlineData(WaitStrategy.Poll)]
    [InlineData(WaitStrategy.Block)]
    [InlineData(WaitStrategy.Adaptive)]
    public async Task A_group_bound_from_configuration_serves_the_transport_and_the_application(WaitStrategy strategy)
    {
        await using WebApplication app = Build(new()
        {
            ["Interlude:LoopCount"] = "2",
            ["Interlude:PinThreads"] = "false",
            ["Interlude:WaitStrategy"] = strategy.ToString(),
            ["Interlude:StallThreshold"] = "00:00:00.050",
            ["Interlude:Adaptive:LoadWindow"] = "00:00:00.002",
        });
        app.MapGet("/where", () => Loop.Current is { } loop ? $"{loop.Group.GetHashCode()}:{loop.WaitStrategy}" : "off-loop");
        await app.StartAsync().Guarded();

        LoopGroup group = app.Services.GetRequiredService<LoopGroup>();
        Assert.Equal(2, group.Count);
        Assert.All(group.Loops, loop => Assert.Equal(strategy, loop.WaitStrategy));
        using var client = new HttpClient { BaseAddress = Address(app) };
        Assert.Equal($"{group.GetHashCode()}:{strategy}", await client.GetStringAsync(new Uri("/where", UriKind.Relative)).Guarded());
        Assert.Equal(42, await group.RunAsync(static async () =>
        {
            await Loop.Yield();
            return 42;
        }).Guarded());
        await app.StopAsync().Guarded();
    }

    [Theory]
    [InlineData("Interlude:LoopCount", "0", "Interlude:LoopCount")]
    [InlineData("Interlude:LoopCount", "many", "Interlude:LoopCount")]
    [InlineData("Interlude:WaitStrategy", "Sometimes", "Interlude:WaitStrategy")]
    [InlineData("Interlude:StallThreshold", "-00:00:01", "Interlude:StallThreshold")]
    [InlineData("Interlude:Adaptive:EnterPollingLoad", "2", "Interlude:Adaptive")]
    [InlineData("Interlude:LoopCont", "2", "LoopCont")]
    public async Task A_bad_setting_stops_the_start_with_a_message_naming_its_key(string key, string value, string named)
    {
        // Kestrel's transport reads the options when the app is built, the host when it starts: either refuses.
        Exception error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using WebApplication app = Build(new() { [key] = value, ["Interlude:PinThreads"] = "false" });
            await app.StartAsync();
        });

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WaitStrategy.Poll)]
    [InlineData(WaitStrategy.Block)]
    [InlineData(WaitStrategy.Adaptive)]
    public async Task Stopping_the_host_lets_work_in_flight_finish_and_ends_the_loop_threads(WaitStrategy strategy)
    {
        WebApplication app = Build(new()
        {
            ["Interlude:LoopCount"] = "2",
            ["Interlude:PinThreads"] = "false",
            ["Interlude:WaitStrategy"] = strategy.ToString(),
        });
        await app.StartAsync().Guarded();
        LoopGroup group = app.Services.GetRequiredService<LoopGroup>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> work = group.RunAsync(async () =>
        {
            started.SetResult();
            await Loop.Current!.Delay(TimeSpan.FromMilliseconds(200));
            return 7;
        });
        await started.Task.Guarded();

        await app.StopAsync().Guarded();

        Assert.True(work.IsCompletedSuccessfully, $"the coroutine in flight is {work.Status} after the host stopped");
        Assert.Equal(7, await work);
        Assert.Equal(0, group.InFlightCoroutines);
        await Assert.ThrowsAsync<InvalidOperationException>(() => group.RunAsync(static () => ValueTask.CompletedTask));
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Past_the_hosts_shutdown_timeout_what_remains_is_cancelled()
    {
        WebApplication app = Build(new() { ["Interlude:LoopCount"] = "1", ["Interlude:PinThreads"] = "false" }, shutdownTimeout: TimeSpan.FromMilliseconds(200));
        await app.StartAsync().Guarded();
        LoopGroup group = app.Services.GetRequiredService<LoopGroup>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task endless = group.RunAsync(async () =>
        {
            started.SetResult();
            await Loop.Current!.Delay(TimeSpan.FromMinutes(10));
        });
        await started.Task.Guarded();

        await app.StopAsync().Guarded();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => endless).Guarded();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task The_health_check_is_unhealthy_while_a_loop_is_stalled_and_healthy_again_after()
    {
        await using WebApplication app = Build(
            new() { ["Interlude:LoopCount"] = "2", ["Interlude:PinThreads"] = "false", ["Interlude:StallThreshold"] = "00:00:00.010" },
            health: builder => builder.AddInterludeLoops(TimeSpan.FromMilliseconds(100)));
        await app.StartAsync().Guarded();
        LoopGroup group = app.Services.GetRequiredService<LoopGroup>();
        HealthCheckService health = app.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync().Guarded()).Status);

        // A blocking call on loop 0: the loop makes no progress until it returns.
        using var release = new ManualResetEventSlim();
        Task blocked = group[0].RunAsync(() =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            return ValueTask.CompletedTask;
        });
        HealthReport stalled = await EventuallyAsync(health, HealthStatus.Unhealthy);
        HealthReportEntry entry = stalled.Entries["interlude-loops"];
        Assert.Equal(0, entry.Data["stalled_loop"]);
        Assert.Contains("loop 0", entry.Description, StringComparison.Ordinal);

        release.Set();
        await blocked.Guarded();
        await EventuallyAsync(health, HealthStatus.Healthy);
        await app.StopAsync().Guarded();
    }

    [Fact]
    public async Task Without_a_registered_group_use_interlude_still_creates_its_own()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.WebHost.UseInterlude(TestServer.Loops(WaitStrategy.Block));
        await using WebApplication app = builder.Build();
        app.MapGet("/", () => Loop.Current is not null ? "on a loop" : "off");
        await app.StartAsync().Guarded();
        using var client = new HttpClient { BaseAddress = Address(app) };

        Assert.Equal("on a loop", await client.GetStringAsync(new Uri("/", UriKind.Relative)).Guarded());
        Assert.Null(app.Services.GetService<LoopGroup>());
        await app.StopAsync().Guarded();
    }

    private static WebApplication Build(Dictionary<string, string?> settings, TimeSpan? shutdownTimeout = null, Action<IHealthChecksBuilder>? health = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddInterlude(builder.Configuration.GetSection("Interlude"));
        if (shutdownTimeout is { } timeout)
        {
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = timeout);
        }

        health?.Invoke(builder.Services.AddHealthChecks());
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.WebHost.UseInterlude();
        return builder.Build();
    }

    private static Uri Address(WebApplication app)
        => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static async Task<HealthReport> EventuallyAsync(HealthCheckService health, HealthStatus status)
    {
        HealthReport report = await health.CheckHealthAsync().Guarded();
        for (int i = 0; i < 2000 && report.Status != status; i++)
        {
            await Task.Delay(5);
            report = await health.CheckHealthAsync().Guarded();
        }

        Assert.Equal(status, report.Status);
        return report;
    }
}
