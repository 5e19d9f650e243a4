using System.Net;
using System.Net.Security;
using System.Security.Authentication;

namespace Interlude.AspNetCore.Tests.Infrastructure;

/// <summary>HTTPS clients that trust the test certificates and speak exactly one TLS version.</summary>
internal static class TlsClient
{
    /// <summary>A client whose every connection does a full handshake with <paramref name="protocol"/>.</summary>
    /// <remarks>TLS 1.2 is held to ECDHE suites, so that its handshake has a key exchange step as well as a signature.</remarks>
    public static HttpClient Create(Uri address, SslProtocols protocol, int maxConnections = 16)
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

        return new HttpClient(new SocketsHttpHandler { SslOptions = ssl, MaxConnectionsPerServer = maxConnections })
        {
            BaseAddress = new UriBuilder(address) { Scheme = Uri.UriSchemeHttps }.Uri,
            Timeout = Timeouts.Generous,
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }
}
