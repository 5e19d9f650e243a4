using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Interlude.AspNetCore;
using Interlude.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using SecureGateway;
using Xunit;

namespace Interlude.Gateway.Tests.Infrastructure;

/// <summary>
/// The sample's own host (<see cref="GatewayHost"/>) in-process on 127.0.0.1 and a free port, with real HTTPS
/// (its self-signed certificate, which the clients pin), two unpinned Interlude loops (or Kestrel's sockets),
/// and a clock the tests move. Disposing it fails if anything was logged at error level: an unhandled exception
/// in a handler (a 500) shows up there.
/// </summary>
internal sealed class GatewayServer : IAsyncDisposable
{
    private readonly GatewayHost _host;
    private readonly ErrorLog _errors;
    private bool _disposed;

    private GatewayServer(GatewayHost host, ErrorLog errors, ManualClock clock)
    {
        _host = host;
        _errors = errors;
        Clock = clock;
    }

    public Uri BaseAddress => _host.BaseAddress;

    public GatewayKeys Keys => _host.Keys;

    public string Issuer => _host.Options.Gateway.Issuer;

    public int MaxPayloadBytes => _host.Options.Gateway.MaxPayloadBytes;

    public X509Certificate2 Certificate => _host.Certificate;

    public ManualClock Clock { get; }

    public static async Task<GatewayServer> StartAsync(GatewayTransport transport, GatewayCryptoMode crypto, Action<GatewayHostOptions>? configure = null)
    {
        var errors = new ErrorLog();
        var clock = new ManualClock();
        GatewayHost host = GatewayHost.Build([], options =>
        {
            options.Transport = transport;
            options.Crypto = crypto;
            options.Port = 0;
            options.Gateway = new GatewayOptions { Issuer = "https://gateway.test", TimeProvider = clock };
            options.ConfigureTransport = Loops;
            options.ConfigureBuilder = builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(errors);
            };
            configure?.Invoke(options);
        });
        try
        {
            await host.StartAsync().Guarded();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return new GatewayServer(host, errors, clock);
    }

    /// <summary>A client on HTTP/1.1 (or <paramref name="version"/>) that trusts this server's certificate and no other.</summary>
    public HttpClient CreateClient(Version? version = null, int maxConnections = 8)
    {
        string thumbprint = Certificate.Thumbprint;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && string.Equals(certificate.GetCertHashString(), thumbprint, StringComparison.OrdinalIgnoreCase),
            },
        };
        return new HttpClient(handler)
        {
            BaseAddress = BaseAddress,
            Timeout = Timeouts.Generous,
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _host.DisposeAsync();
        Assert.True(_errors.Entries.Count == 0, "Logged at error level:" + Environment.NewLine + string.Join(Environment.NewLine, _errors.Entries));
    }

    /// <summary>Two unpinned loops that sleep when idle, with no stall reports: the transport on a shared test machine.</summary>
    private static void Loops(InterludeTransportOptions options) => options.Loops = new LoopGroupOptions
    {
        LoopCount = 2,
        PinThreads = false,
        StallThreshold = TimeSpan.Zero,
        WaitStrategy = WaitStrategy.Block,
    };
}
