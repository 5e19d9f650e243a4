using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Interlude.AspNetCore.Tests.Infrastructure;

/// <summary>HTTPS clients that trust the test certificates and speak exactly one TLS version.</summary>
internal static class TlsClient
{
    /// <summary>A client whose every connection does a full handshake with <paramref name="protocol"/>.</summary>
    /// <remarks>TLS 1.2 is held to ECDHE suites, so that its handshake has a key exchange step as well as a signature.</remarks>
    /// <param name="address">The server.</param>
    /// <param name="protocol">The one TLS version the client offers.</param>
    /// <param name="maxConnections">Connections the client opens at most.</param>
    /// <param name="helloDelay">
    /// How long the client waits between connecting and sending its ClientHello: long enough, and the server has
    /// issued its first read, and returned from it, before the ClientHello arrives (see network.md on that read).
    /// </param>
    public static HttpClient Create(Uri address, SslProtocols protocol, int maxConnections = 16, TimeSpan helloDelay = default)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = protocol,
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        };
        if (protocol == SslProtocols.Tls12 && !OperatingSystem.IsWindows())
        {
            ssl.CipherSuitesPolicy = new CipherSuitesPolicy(
            [
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            ]);
        }

        var handler = new SocketsHttpHandler { SslOptions = ssl, MaxConnectionsPerServer = maxConnections };
        if (helloDelay > TimeSpan.Zero)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    await Task.Delay(helloDelay, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return new HttpClient(handler)
        {
            BaseAddress = new UriBuilder(address) { Scheme = Uri.UriSchemeHttps }.Uri,
            Timeout = Timeouts.Generous,
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }
}
