using System.Net;
using Interlude.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Interlude.Harness.Http;

/// <summary>
/// The benchmark's application: a stock ASP.NET Core app with TechEmpower's plaintext endpoint on 127.0.0.1 and a
/// free port. The two transports differ only in the <c>UseInterlude</c> call.
/// </summary>
public sealed class PlaintextServer : IAsyncDisposable
{
    public const string Path = "/plaintext";

    private readonly WebApplication _app;

    private PlaintextServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<PlaintextServer> StartAsync(bool interlude, Action<InterludeTransportOptions>? configure)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        if (interlude)
        {
            builder.WebHost.UseInterlude(configure);
        }

        WebApplication app = builder.Build();
        app.MapGet(Path, () => Results.Text("Hello, World!", "text/plain"));
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PlaintextServer(app, new Uri(new Uri(address), Path));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
