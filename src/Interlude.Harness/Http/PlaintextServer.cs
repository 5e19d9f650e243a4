using System.Net;
using System.Security.Cryptography.X509Certificates;
using Interlude.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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

    /// <summary>Starts the app; with <paramref name="certificate"/>, on https (HTTP/1.1 only, like the TLS bench).</summary>
    public static async Task<PlaintextServer> StartAsync(bool interlude, Action<InterludeTransportOptions>? configure, X509Certificate2? certificate = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(certificate);
            }
        }));
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
