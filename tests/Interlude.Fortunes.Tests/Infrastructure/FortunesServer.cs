using Fortunes.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Interlude.Fortunes.Tests.Infrastructure;

/// <summary>The app on one transport, in this process, on a free loopback port; started only when the database is reachable.</summary>
public abstract class FortunesServer : IAsyncLifetime
{
    private WebApplication? _app;

    protected abstract string Transport { get; }

    public HttpClient Client { get; private set; } = new();

    public async Task InitializeAsync()
    {
        if (Postgres.Unreachable is not null)
        {
            return;
        }

        _app = FortunesHost.Build(["--transport", Transport, "--urls", "http://127.0.0.1:0"]);
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

public sealed class SocketsServer : FortunesServer
{
    protected override string Transport => "sockets";
}

public sealed class InterludeServer : FortunesServer
{
    protected override string Transport => "interlude";
}
