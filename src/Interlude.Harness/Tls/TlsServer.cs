using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Interlude.AspNetCore;
using Interlude.Crypto;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureGateway;

namespace Interlude.Harness.Tls;

/// <summary>
/// The benchmark's application in one mode: a minimal ASP.NET Core app with one small endpoint behind Kestrel's
/// ordinary <c>UseHttps</c>, HTTP/1.1 only, on 127.0.0.1 and a free port. It counts the handshakes it completed.
/// </summary>
public sealed class TlsServer : IAsyncDisposable
{
    public const string Path = "/hello";

    /// <summary>The endpoint's body.</summary>
    public const string Body = "Hello, TLS!";

    private readonly WebApplication _app;
    // Incremented by the connection middleware on the loop or ThreadPool threads; read by the benchmark's thread.
    private readonly StrongBox<long> _handshakes;

    private TlsServer(string mode, WebApplication app, Uri url, StrongBox<long> handshakes, CryptoEngine? engine, IReadOnlyList<int> engineThreads)
    {
        Mode = mode;
        _app = app;
        Url = url;
        _handshakes = handshakes;
        Engine = engine;
        EngineThreads = engineThreads;
    }

    public string Mode { get; }

    /// <summary>https://127.0.0.1:port/hello, or https://127.0.0.1:port/ for the gateway.</summary>
    public Uri Url { get; }

    /// <summary>The engine of an offload mode; null otherwise.</summary>
    public CryptoEngine? Engine { get; }

    /// <summary>The Linux ids of the engine's threads; empty without an engine or /proc.</summary>
    public IReadOnlyList<int> EngineThreads { get; }

    /// <summary>Handshakes completed so far: connections that reached the middleware after <c>UseHttps</c>. Any thread.</summary>
    public long Handshakes => Interlocked.Read(ref _handshakes.Value);

    /// <summary>Starts the app in <paramref name="mode"/> with <paramref name="certificate"/>, accepting only <paramref name="configuration"/>'s TLS version.</summary>
    /// <param name="loopCore">The core of the Interlude modes' one loop.</param>
    /// <param name="engineCore">The core of the offload modes' engine thread.</param>
    /// <param name="gateway">
    /// Null: the app serves <see cref="Path"/>. Otherwise it serves the SecureGateway sample's endpoints with these
    /// keys, their crypto on the engine in the offload modes and inline with the BCL in the others.
    /// </param>
    public static async Task<TlsServer> StartAsync(
        string mode, TlsConfiguration configuration, X509Certificate2 certificate, int loopCore, int engineCore, GatewayKeys? gateway = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        CryptoEngine? engine = null;
        IReadOnlyList<int> engineThreads = [];
        if (TlsModes.OffloadModeOf(mode) is not null)
        {
            engine = new CryptoEngine(new CryptoEngineOptions { Threads = 1, Cores = [engineCore] });
        }

        try
        {
            if (engine is not null)
            {
                engineThreads = [await EngineCapacity.LocateThreadAsync(engine, CancellationToken.None).ConfigureAwait(false)];
            }

            var handshakes = new StrongBox<long>();
            WebApplication app = Build(mode, configuration, certificate, loopCore, engine, handshakes);
            if (gateway is null)
            {
                app.MapGet(Path, () => Results.Text(Body, "text/plain"));
            }
            else
            {
                app.MapGateway(gateway, engine);
            }

            await app.StartAsync().ConfigureAwait(false);
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new TlsServer(mode, app, new Uri(new Uri(address), gateway is null ? Path : "/"), handshakes, engine, engineThreads);
        }
        catch
        {
            engine?.Dispose();
            throw;
        }
    }

    private static WebApplication Build(
        string mode, TlsConfiguration configuration, X509Certificate2 certificate, int loopCore, CryptoEngine? engine, StrongBox<long> handshakes)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = certificate;
                https.SslProtocols = configuration.Protocols;

                // Every handshake full, whatever the client offers.
                https.OnAuthenticate = static (_, ssl) => ssl.AllowTlsResume = false;
            });
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref handshakes.Value);
                return next(connection);
            });
        }));

        if (TlsModes.UsesInterlude(mode))
        {
            builder.WebHost.UseInterlude(options =>
            {
                options.Loops = new LoopGroupOptions
                {
                    LoopCount = 1,
                    Cores = [loopCore],
                    PinThreads = true,
                    WaitStrategy = WaitStrategy.Block,
                    StallThreshold = TimeSpan.Zero,
                };
                if (engine is not null)
                {
                    options.OffloadTlsHandshakes(engine, TlsModes.OffloadModeOf(mode)!.Value);
                }
                else
                {
                    // Software: the handshakes' crypto on the loop itself (by default SslStream would continue it
                    // on the ThreadPool, off the loop's core).
                    options.RunTlsHandshakesOnLoop();
                }
            });
        }
        else
        {
            // Kestrel's socket transport with one I/O queue, the nearest it has to "one loop"; its handlers and
            // handshakes still run on the ThreadPool, which may use every core the process has.
            builder.WebHost.UseSockets(sockets => sockets.IOQueueCount = 1);
        }

        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Engine?.Dispose();
    }
}
