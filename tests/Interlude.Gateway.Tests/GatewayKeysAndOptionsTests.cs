using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Interlude.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;
using SecureGateway;
using Xunit;

namespace Interlude.Gateway.Tests;

/// <summary>Keys, key ids, the JWKS, and what the command line and configuration select.</summary>
public sealed class GatewayKeysAndOptionsTests
{
    [Fact]
    public void GeneratedKeysHaveAThumbprintKidAndAPublicOnlyJwks()
    {
        using GatewayKeys keys = GatewayKeys.Generate();

        JsonObject jwk = JsonNode.Parse(keys.Jwks)!["keys"]!.AsArray().Single()!.AsObject();
        Assert.Equal(keys.SigningKeyId, (string?)jwk["kid"]);
        Assert.Null(jwk["d"]);
        Assert.Equal(keys.SigningKeyId, Base64UrlEncoder.Encode(new JsonWebKey(jwk.ToJsonString()).ComputeJwkThumbprint()));
        Assert.Equal(jwk.ToJsonString(), JsonNode.Parse(keys.GetPublicJwk())!.ToJsonString());
        Assert.StartsWith("enc-", keys.EncryptionKeyId, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysLoadFromConfiguration()
    {
        using var source = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] aes = RandomNumberGenerator.GetBytes(32);
        IConfiguration section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SigningKey"] = source.ExportPkcs8PrivateKeyPem(),
            ["SigningKeyId"] = "sig-2026",
            ["EncryptionKey"] = Convert.ToBase64String(aes),
            ["EncryptionKeyId"] = "enc-2026",
        }).Build();

        using GatewayKeys keys = GatewayKeys.FromConfiguration(section);

        Assert.Equal("sig-2026", keys.SigningKeyId);
        Assert.Equal("enc-2026", keys.EncryptionKeyId);
        Assert.Equal(source.ExportParameters(false).Q.X, keys.PublicKey.Q.X);
        Assert.Equal(aes, keys.EncryptionKey.ToArray());
    }

    [Fact]
    public void AKeyOfTheWrongSizeIsRefused()
    {
        Assert.Throws<ArgumentException>(() => GatewayKeys.Create(ECDsa.Create(ECCurve.NamedCurves.nistP384), new byte[32]));
        Assert.Throws<ArgumentException>(() => GatewayKeys.Create(ECDsa.Create(ECCurve.NamedCurves.nistP256), new byte[16]));
    }

    [Fact]
    public void TheCommandLineSelectsCryptoTransportAndOffload()
    {
        string[] args = GatewayHostOptions.NormalizeSwitches(
            ["--crypto", "inline", "--transport", "sockets", "--offload-handshakes", "--handshake-mode", "spin", "--port", "8443",
             "--engine-threads", "2", "--engine-cores", "6, 7", "--address", "*", "--cert-type", "rsa", "--Gateway:MaxPayloadBytes", "1024"]);
        IConfiguration configuration = new ConfigurationBuilder().AddCommandLine(args).Build();

        GatewayHostOptions options = GatewayHostOptions.FromConfiguration(configuration);

        Assert.Equal(GatewayCryptoMode.Inline, options.Crypto);
        Assert.Equal(GatewayTransport.Sockets, options.Transport);
        Assert.True(options.OffloadHandshakes);
        Assert.Equal(TlsHandshakeOffloadMode.Spin, options.HandshakeMode);
        Assert.Equal(8443, options.Port);
        Assert.Equal(2, options.Engine.Threads);
        Assert.Equal([6, 7], options.Engine.Cores);
        Assert.Equal(IPAddress.Any, options.Address);
        Assert.Equal(CertificateKeyType.Rsa2048, options.SelfSignedKeyType);
        Assert.Equal(1024, options.Gateway.MaxPayloadBytes);
    }

    [Fact]
    public void TheDefaultsAreEngineCryptoOnInterlude()
    {
        GatewayHostOptions options = GatewayHostOptions.FromConfiguration(new ConfigurationBuilder().Build());

        Assert.Equal(GatewayCryptoMode.Engine, options.Crypto);
        Assert.Equal(GatewayTransport.Interlude, options.Transport);
        Assert.False(options.OffloadHandshakes);
        Assert.Equal(5443, options.Port);
    }

    [Theory]
    [InlineData("--crypto", "gpu")]
    [InlineData("--transport", "quic")]
    [InlineData("--handshake-mode", "later")]
    [InlineData("--cert-type", "dsa")]
    public void AnUnknownChoiceIsAFormatException(string name, string value)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddCommandLine([name, value]).Build();

        Assert.Throws<FormatException>(() => GatewayHostOptions.FromConfiguration(configuration));
    }

    [Fact]
    public void OffloadingHandshakesOnSocketsIsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => GatewayHost.Build(["--transport", "sockets", "--offload-handshakes"]));
    }

    [Theory]
    [InlineData(CertificateKeyType.EcdsaP256)]
    [InlineData(CertificateKeyType.Rsa2048)]
    public void TheSelfSignedCertificateIsForLocalhostWithItsKey(CertificateKeyType keyType)
    {
        using System.Security.Cryptography.X509Certificates.X509Certificate2 certificate = GatewayCertificate.CreateSelfSigned(keyType);

        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=localhost", certificate.Subject);
        Assert.True(certificate.MatchesHostname("localhost"));
        Assert.True(certificate.MatchesHostname("127.0.0.1"));
    }
}
