using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Interlude.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A stock ASP.NET Core app on 127.0.0.1 with a free port, on the chosen transport: the only difference between
/// the two is the <c>UseInterlude</c> call, with the transport's shipped options unless a test configures them.
/// Stopping the server fails the test if anything was logged at error level.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ErrorLog _errors;
    private bool _disposed;

    private TestServer(WebApplication app, Uri address, TestEndpoints endpoints, ErrorLog errors)
    {
        _app = app;
        _errors = errors;
        Address = address;
        Endpoints = endpoints;
    }

    public Uri Address { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Address.Port);

    public TestEndpoints Endpoints { get; }

    public static async Task<TestServer> StartAsync(
        TransportKind transport,
        Action<InterludeTransportOptions>? configure = null,
        Action<WebApplication>? map = null,
        Action<KestrelServerOptions>? kestrel = null,
        ILoggerProvider? log = null,
        Action<ListenOptions>? listen = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        var errors = new ErrorLog();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(errors);
        if (log is not null)
        {
            builder.Logging.AddProvider(log);
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0, listenOptions => listen?.Invoke(listenOptions));
            kestrel?.Invoke(options);
        });
        if (transport == TransportKind.Interlude)
        {
            builder.WebHost.UseInterlude(configure);
        }

        WebApplication app = builder.Build();
        var endpoints = new TestEndpoints();
        endpoints.Map(app);
        map?.Invoke(app);
        await app.StartAsync().Guarded();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, new Uri(address), endpoints, errors);
    }

    /// <summary>Two unpinned loops with the given strategy and no stall reports: the transport on a shared test machine.</summary>
    public static Action<InterludeTransportOptions> Loops(WaitStrategy strategy) => options => options.Loops = new LoopGroupOptions
    {
        LoopCount = 2,
        PinThreads = false,
        StallThreshold = TimeSpan.Zero,
        WaitStrategy = strategy,
    };

    public HttpClient CreateClient(int maxConnections = 16) => new(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections })
    {
        BaseAddress = Address,
        Timeout = Timeouts.Generous,
    };

    /// <summary>Stops the app (every connection has ended, and logged what it logs) and fails on any error logged.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _app.StopAsync().Guarded();
        await _app.DisposeAsync();
        Assert.True(_errors.Entries.Count == 0, "Logged at error level:" + Environment.NewLine + string.Join(Environment.NewLine, _errors.Entries));
    }
}
