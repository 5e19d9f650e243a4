using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Interlude.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A stock ASP.NET Core app on 127.0.0.1 with a free port, on the chosen transport: the only difference between
/// the two is the <c>UseInterlude</c> call.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri address, TestEndpoints endpoints)
    {
        _app = app;
        Address = address;
        Endpoints = endpoints;
    }

    public Uri Address { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Address.Port);

    public TestEndpoints Endpoints { get; }

    public static async Task<TestServer> StartAsync(
        TransportKind transport, Action<InterludeTransportOptions>? configure = null, Action<WebApplication>? map = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        if (transport == TransportKind.Interlude)
        {
            builder.WebHost.UseInterlude(options =>
            {
                options.Loops = new LoopGroupOptions
                {
                    LoopCount = 2,
                    PinThreads = false,
                    StallThreshold = TimeSpan.Zero,
                };
                configure?.Invoke(options);
            });
        }

        WebApplication app = builder.Build();
        var endpoints = new TestEndpoints();
        endpoints.Map(app);
        map?.Invoke(app);
        await app.StartAsync().Guarded();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, new Uri(address), endpoints);
    }

    public HttpClient CreateClient(int maxConnections = 16) => new(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections })
    {
        BaseAddress = Address,
        Timeout = Timeouts.Generous,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().Guarded();
        await _app.DisposeAsync();
    }
}
