using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Interlude.AspNetCore;
using Interlude.Crypto;
using Interlude.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureGateway;
using Xunit;

namespace Interlude.Gateway.Tests;

/// <summary>The other ways the endpoints are hosted: TLS handshakes offloaded to the engine, and another app's mapping.</summary>
public sealed class HostingTests
{
    [Theory]
    [InlineData(TlsHandshakeOffloadMode.Async, CertificateKeyType.EcdsaP256)]
    [InlineData(TlsHandshakeOffloadMode.Block, CertificateKeyType.EcdsaP256)]
    [InlineData(TlsHandshakeOffloadMode.Spin, CertificateKeyType.EcdsaP256)]
    [InlineData(TlsHandshakeOffloadMode.Async, CertificateKeyType.Rsa2048)]
    public async Task WithHandshakesOffloadedEveryNewConnectionIsServed(TlsHandshakeOffloadMode mode, CertificateKeyType certificate)
    {
        await using GatewayServer server = await GatewayServer.StartAsync(GatewayTransport.Interlude, GatewayCryptoMode.Engine, options =>
        {
            options.OffloadHandshakes = true;
            options.HandshakeMode = mode;
            options.SelfSignedKeyType = certificate;
        });

        // A client per round: each round is a fresh TLS handshake.
        for (int i = 0; i < 4; i++)
        {
            using HttpClient client = server.CreateClient();
            using HttpResponseMessage issued = await client.PostAsync(new Uri("/tokens", UriKind.Relative), Json($"{{\"sub\":\"round-{i}\"}}")).Guarded();
            Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
            string token = (string)(await issued.ReadObjectAsync())["token"]!;
            using HttpResponseMessage verified = await client.PostAsync(new Uri("/tokens/verify", UriKind.Relative), Json(new JsonObject { ["token"] = token }.ToJsonString())).Guarded();
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MapGatewayServesTheEndpointsOnAnyApp(bool withEngine)
    {
        // As a benchmark hosts them: its own slim app, plain HTTP on Kestrel's sockets, its own engine and keys.
        using CryptoEngine? engine = withEngine ? new CryptoEngine(new CryptoEngineOptions { Threads = 1 }) : null;
        using GatewayKeys keys = GatewayKeys.Generate();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        await using WebApplication app = builder.Build();
        app.MapGateway(keys, engine);
        await app.StartAsync().Guarded();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

            using HttpResponseMessage info = await client.GetAsync(new Uri("/", UriKind.Relative)).Guarded();
            Assert.Equal(withEngine ? "engine" : "inline", (string?)(await info.ReadObjectAsync())["crypto"]);
            using HttpResponseMessage issued = await client.PostAsync(new Uri("/tokens", UriKind.Relative), Json("{\"sub\":\"bench\"}")).Guarded();
            string token = (string)(await issued.ReadObjectAsync())["token"]!;
            using HttpResponseMessage verified = await client.PostAsync(new Uri("/tokens/verify", UriKind.Relative), Json(new JsonObject { ["token"] = token }.ToJsonString())).Guarded();
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }
        finally
        {
            await app.StopAsync().Guarded();
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
