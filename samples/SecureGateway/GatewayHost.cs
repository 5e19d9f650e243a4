using System.Security.Cryptography.X509Certificates;
using Interlude.AspNetCore;
using Interlude.Crypto;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace SecureGateway;

/// <summary>
/// The sample as an app: a stock <see cref="WebApplication"/> listening with HTTPS on Interlude loops (or
/// Kestrel's sockets), the gateway's endpoints mapped, and the crypto engine and keys it owns. The program
/// runs it; the tests start it in-process on a free loopback port.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly bool _ownsKeys;
    private readonly bool _ownsCertificate;
    private bool _disposed;

    private GatewayHost(WebApplication app, GatewayHostOptions options, CryptoEngine? engine, GatewayKeys keys, bool ownsKeys, X509Certificate2 certificate, bool ownsCertificate)
    {
        App = app;
        Options = options;
        Engine = engine;
        Keys = keys;
        _ownsKeys = ownsKeys;
        Certificate = certificate;
        _ownsCertificate = ownsCertificate;
    }

    /// <summary>The app, built, with the endpoints mapped.</summary>
    public WebApplication App { get; }

    /// <summary>The options it was built with.</summary>
    public GatewayHostOptions Options { get; }

    /// <summary>The crypto engine, or null when nothing runs on one (inline crypto, handshakes not offloaded).</summary>
    public CryptoEngine? Engine { get; }

    /// <summary>The signing and encryption keys.</summary>
    public GatewayKeys Keys { get; }

    /// <summary>The HTTPS server certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The https:// address the app listens on, once started.</summary>
    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// Builds the app from <paramref name="args"/> (command line and configuration, through
    /// <see cref="GatewayHostOptions.FromConfiguration"/>), then <paramref name="configure"/>.
    /// </summary>
    public static GatewayHost Build(string[] args, Action<GatewayHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = GatewayHostOptions.NormalizeSwitches(args),
            // appsettings.json is read from beside the program, whatever the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        GatewayHostOptions options = GatewayHostOptions.FromConfiguration(builder.Configuration);
        configure?.Invoke(options);
        if (options.OffloadHandshakes && options.Transport != GatewayTransport.Interlude)
        {
            throw new InvalidOperationException("--offload-handshakes needs the Interlude transport.");
        }

        CryptoEngine? engine = null;
        GatewayKeys? keys = null;
        X509Certificate2? certificate = null;
        try
        {
            if (options.Crypto == GatewayCryptoMode.Engine || options.OffloadHandshakes)
            {
                engine = new CryptoEngine(options.Engine);
            }

            keys = options.Keys ?? GatewayKeys.FromConfiguration(builder.Configuration.GetSection("Gateway"));
            certificate = options.Certificate
                ?? (options.CertificatePath is { Length: > 0 } path
                    ? GatewayCertificate.Load(path, options.CertificatePassword, options.CertificateKeyPath)
                    : GatewayCertificate.CreateSelfSigned(options.SelfSignedKeyType));

            X509Certificate2 serverCertificate = certificate;
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Listen(options.Address, options.Port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(serverCertificate);
                });
            });

            if (options.Transport == GatewayTransport.Interlude)
            {
                CryptoEngine? handshakeEngine = options.OffloadHandshakes ? engine : null;
                builder.WebHost.UseInterlude(transport =>
                {
                    if (handshakeEngine is not null)
                    {
                        transport.OffloadTlsHandshakes(handshakeEngine, options.HandshakeMode);
                    }

                    options.ConfigureTransport?.Invoke(transport);
                });
            }

            options.ConfigureBuilder?.Invoke(builder);
            WebApplication app = builder.Build();
            app.MapGateway(keys, options.Crypto == GatewayCryptoMode.Engine ? engine : null, options.Gateway);
            return new GatewayHost(app, options, engine, keys, ownsKeys: options.Keys is null, certificate, ownsCertificate: options.Certificate is null);
        }
        catch
        {
            engine?.Dispose();
            if (options.Keys is null)
            {
                keys?.Dispose();
            }

            if (options.Certificate is null)
            {
                certificate?.Dispose();
            }

            throw;
        }
    }

    /// <summary>Starts listening.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => App.StartAsync(cancellationToken);

    /// <summary>Runs until the app is asked to stop (Ctrl+C, SIGTERM), then releases everything.</summary>
    public async Task RunAsync()
    {
        await using (this)
        {
            await App.RunAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the app (its connections end), then disposes it, the engine, and the keys and certificate it made.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await App.StopAsync().ConfigureAwait(false);
            await App.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            // After the app: no request is left that could submit to the engine.
            Engine?.Dispose();
            if (_ownsKeys)
            {
                Keys.Dispose();
            }

            if (_ownsCertificate)
            {
                Certificate.Dispose();
            }
        }
    }
}
