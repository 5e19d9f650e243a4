using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using SecureGateway.Jose;
using Xunit;

namespace Interlude.Gateway.Tests;

/// <summary>The token format without HTTP or crypto: base64url, the compact serialization, and the claims' checks.</summary>
public sealed class TokenFormatTests
{
    private const string KeyId = "test-kid";
    private static readonly string KnownHeader = Base64UrlStrict.Encode(JwsCompact.CreateHeader(KeyId));

    [Fact]
    public void Base64UrlRoundTripsEveryLength()
    {
        for (int length = 0; length < 70; length++)
        {
            byte[] bytes = RandomNumberGenerator.GetBytes(length);
            string text = Base64UrlStrict.Encode(bytes);

            Assert.True(Base64UrlStrict.TryDecode(text, out byte[] decoded));
            Assert.Equal(bytes, decoded);
            Assert.DoesNotContain('=', text);
        }
    }

    [Theory]
    [InlineData("QQ==")] // padding
    [InlineData("a+b/")] // the standard alphabet
    [InlineData("QU JD")] // whitespace
    [InlineData("QUJD\n")]
    [InlineData("QUJDR")] // a length no byte string encodes to
    [InlineData("QR")] // "A" is QQ: R sets bits beyond the last byte
    [InlineData("QUJ")] // "AB" is QUI: J sets bits beyond the last byte
    [InlineData("QU%D")]
    public void Base64UrlRefusesNonCanonicalText(string text)
    {
        Assert.False(Base64UrlStrict.TryDecode(text, out _));
    }

    [Fact]
    public void TheIssuedHeaderIsEs256JwtWithTheKid()
    {
        Assert.Equal("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"test-kid\"}", Encoding.UTF8.GetString(JwsCompact.CreateHeader(KeyId)));
    }

    [Fact]
    public void ATokenAssembledFromItsPartsParsesBackToThem()
    {
        byte[] claims = JwtClaims.Write("iss", "sub", "read", 1000, 2000, "jti");
        byte[] signingInput = JwsCompact.CreateSigningInput(KnownHeader, claims);
        byte[] signature = RandomNumberGenerator.GetBytes(64);
        string token = JwsCompact.Assemble(signingInput, signature);

        Assert.True(JwsCompact.TryParse(token, KnownHeader, KeyId, out ParsedJws? jws, out _));
        Assert.Equal("ES256", jws!.Algorithm);
        Assert.Equal(KeyId, jws.KeyId);
        Assert.Equal(signingInput, jws.SigningInput);
        Assert.Equal(claims, jws.Payload);
        Assert.Equal(signature, jws.Signature);
        Assert.Equal(token[..token.LastIndexOf('.')], Encoding.ASCII.GetString(signingInput));
    }

    [Fact]
    public void AnotherHeaderIsParsedForItsAlgAndKid()
    {
        string header = Segment("{\"kid\":\"other\",\"typ\":\"at+jwt\",\"x5u\":\"https://evil.test\",\"alg\":\"ES384\"}");

        Assert.True(JwsCompact.TryParse(header + "." + Segment("{}") + ".", KnownHeader, KeyId, out ParsedJws? jws, out _));
        Assert.Equal("ES384", jws!.Algorithm);
        Assert.Equal("other", jws.KeyId);
    }

    [Theory]
    [InlineData("{\"alg\":\"ES256\",\"alg\":\"none\",\"kid\":\"test-kid\"}")]
    [InlineData("{\"alg\":\"ES256\",\"kid\":\"a\",\"kid\":\"test-kid\"}")]
    [InlineData("{\"alg\":256}")]
    [InlineData("{\"kid\":\"test-kid\"}")]
    [InlineData("{\"alg\":\"ES256\",\"crit\":[\"b64\"],\"b64\":false}")]
    [InlineData("{\"alg\":\"ES256\"} {}")]
    [InlineData("{\"alg\":\"ES256\",}")]
    [InlineData("{\"alg\":\"ES256\" /* comment */}")]
    [InlineData("[]")]
    [InlineData("\"ES256\"")]
    [InlineData("")]
    public void ABadHeaderIsMalformed(string header)
    {
        Assert.False(JwsCompact.TryParse(Segment(header) + "." + Segment("{}") + ".", KnownHeader, KeyId, out _, out TokenError error));
        Assert.Equal(TokenFailure.Malformed, error.Failure);
    }

    [Theory]
    [InlineData("{\"iss\":\"me\",\"exp\":2000}", 1000, null)]
    [InlineData("{\"iss\":\"me\",\"exp\":2000.5,\"nbf\":900,\"extra\":{\"a\":[1,2,{}]}}", 1000, null)]
    [InlineData("{\"iss\":\"me\",\"exp\":2000}", 2029, null)] // within the 30 s skew
    [InlineData("{\"iss\":\"me\",\"exp\":2000}", 2030, "expired")]
    [InlineData("{\"iss\":\"me\",\"exp\":2000,\"nbf\":1500}", 1471, null)]
    [InlineData("{\"iss\":\"me\",\"exp\":2000,\"nbf\":1500}", 1469, "not_yet_valid")]
    [InlineData("{\"iss\":\"you\",\"exp\":2000}", 1000, "wrong_issuer")]
    [InlineData("{\"exp\":2000}", 1000, "wrong_issuer")]
    [InlineData("{\"iss\":\"me\"}", 1000, "malformed")]
    [InlineData("{\"iss\":\"me\",\"exp\":\"2000\"}", 1000, "malformed")]
    [InlineData("{\"iss\":\"me\",\"exp\":2000,\"exp\":9999}", 1000, "malformed")]
    [InlineData("{\"iss\":[\"me\"],\"exp\":2000}", 1000, "malformed")]
    [InlineData("{\"iss\":\"me\",\"exp\":2000", 1000, "malformed")]
    [InlineData("[{\"iss\":\"me\",\"exp\":2000}]", 1000, "malformed")]
    [InlineData("{\"iss\":\"me\",\"exp\":2000}x", 1000, "malformed")]
    public void ClaimsAreCheckedForExpNbfAndIss(string claims, long now, string? reason)
    {
        bool valid = JwtClaims.TryValidate(Encoding.UTF8.GetBytes(claims), "me", DateTimeOffset.FromUnixTimeSeconds(now), TimeSpan.FromSeconds(30), out TokenError error);

        Assert.Equal(reason is null, valid);
        if (reason is not null)
        {
            Assert.Equal(reason, error.Reason);
        }
    }

    [Fact]
    public void WrittenClaimsAreInTheirOrderAndOmitAMissingScope()
    {
        Assert.Equal(
            "{\"iss\":\"me\",\"sub\":\"alice\",\"iat\":1,\"exp\":61,\"jti\":\"j\"}",
            Encoding.UTF8.GetString(JwtClaims.Write("me", "alice", null, 1, 61, "j")));
    }

    private static string Segment(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
