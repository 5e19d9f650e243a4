using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Interlude.Gateway.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Interlude.Gateway.Tests;

/// <summary>
/// The gateway over real HTTPS, run with its crypto inline and on the engine, on Interlude and on Kestrel's
/// sockets (the concrete classes in GatewayFixture.cs). Its tokens are checked by the BCL and by a standard JWT
/// library; the library's tokens are checked by it; every bad input gets a 4xx problem, never a 500 (the server
/// also fails the class on any error it logs).
/// </summary>
public abstract class GatewayHttpTests
{
    private readonly GatewayFixture _fixture;

    protected GatewayHttpTests(GatewayFixture fixture) => _fixture = fixture;

    private GatewayServer Server => _fixture.Server;

    private HttpClient Client => _fixture.Client;

    [Fact]
    public async Task AnIssuedTokenIsCompactEs256WithTheRequestedClaims()
    {
        string token = await IssueAsync("alice", "read write", ttlSeconds: 120);

        JsonObject header = Jwt.Header(token);
        Assert.Equal("ES256", (string?)header["alg"]);
        Assert.Equal("JWT", (string?)header["typ"]);
        Assert.Equal(Server.Keys.SigningKeyId, (string?)header["kid"]);
        JsonObject claims = Jwt.Payload(token);
        Assert.Equal("alice", (string?)claims["sub"]);
        Assert.Equal("read write", (string?)claims["scope"]);
        Assert.Equal(Server.Issuer, (string?)claims["iss"]);
        long issuedAt = (long)claims["iat"]!;
        Assert.Equal(issuedAt + 120, (long)claims["exp"]!);
        Assert.InRange(issuedAt, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);
        Assert.False(string.IsNullOrEmpty((string?)claims["jti"]));
        Assert.Equal(64, Jwt.Signature(token).Length);
    }

    [Fact]
    public async Task AnIssuedTokenVerifiesWithTheBclAndTheJwksKey()
    {
        string token = await IssueAsync("bob", "read", ttlSeconds: 60);
        JsonObject jwk = (await GetJwksAsync())["keys"]!.AsArray().Single()!.AsObject();

        using ECDsa publicKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64UrlDecode((string)jwk["x"]!), Y = Base64UrlDecode((string)jwk["y"]!) },
        });

        Assert.True(publicKey.VerifyData(Jwt.SigningInput(token), Jwt.Signature(token), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        byte[] otherInput = Jwt.SigningInput(Jwt.With(token, payload: new JsonObject { ["sub"] = "mallory" }));
        Assert.False(publicKey.VerifyData(otherInput, Jwt.Signature(token), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public async Task AnIssuedTokenIsValidForAStandardJwtLibraryWithTheJwksKey()
    {
        string token = await IssueAsync("carol", "admin", ttlSeconds: 300);
        var keys = new JsonWebKeySet((await GetJwksAsync()).ToJsonString());

        TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Server.Issuer,
            ValidateAudience = false,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            IssuerSigningKeys = keys.GetSigningKeys(),
        }).Guarded();

        Assert.True(result.IsValid, result.Exception?.ToString());
        Assert.Equal("carol", result.Claims["sub"]);
        Assert.Equal(Server.Keys.SigningKeyId, ((JsonWebToken)result.SecurityToken).Kid);
    }

    [Fact]
    public async Task AnIssuedTokenVerifiesAtTheGatewayWithItsClaims()
    {
        string token = await IssueAsync("dave", "read", ttlSeconds: 60);

        using HttpResponseMessage response = await PostJsonAsync("/tokens/verify", new JsonObject { ["token"] = token });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonObject body = await response.ReadObjectAsync();
        Assert.True((bool)body["valid"]!);
        Assert.Equal(Server.Keys.SigningKeyId, (string?)body["kid"]);
        Assert.Equal("dave", (string?)body["claims"]!["sub"]);
        Assert.Equal((string?)Jwt.Payload(token)["jti"], (string?)body["claims"]!["jti"]);
    }

    [Fact]
    public async Task ATokenMadeByAStandardJwtLibraryWithTheSameKeyVerifies()
    {
        string token = CreateLibraryToken(Server.Keys.SigningKey, Server.Keys.SigningKeyId, Server.Issuer, expires: Server.Clock.GetUtcNow().AddMinutes(5));

        using HttpResponseMessage response = await PostJsonAsync("/tokens/verify", new JsonObject { ["token"] = token });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonObject body = await response.ReadObjectAsync();
        Assert.Equal("library-user", (string?)body["claims"]!["sub"]);
        Assert.Equal("read", (string?)body["claims"]!["scope"]);
    }

    [Theory]
    [InlineData("payload changed", "bad_signature")]
    [InlineData("signature changed", "bad_signature")]
    [InlineData("signature of another key", "bad_signature")]
    [InlineData("signature truncated", "bad_signature")]
    [InlineData("signature empty", "bad_signature")]
    [InlineData("alg none", "unsupported_alg")]
    [InlineData("alg HS256", "unsupported_alg")]
    [InlineData("alg RS256", "unsupported_alg")]
    [InlineData("unknown kid", "unknown_kid")]
    [InlineData("no kid", "unknown_kid")]
    [InlineData("header not JSON", "malformed")]
    [InlineData("header an array", "malformed")]
    [InlineData("crit header", "malformed")]
    [InlineData("payload not JSON", "malformed")]
    [InlineData("payload without exp", "malformed")]
    [InlineData("padded segments", "malformed")]
    [InlineData("two segments", "malformed")]
    [InlineData("five segments (JWE)", "malformed")]
    [InlineData("garbage", "malformed")]
    [InlineData("empty", "malformed")]
    [InlineData("dots only", "malformed")]
    [InlineData("wrong issuer", "wrong_issuer")]
    [InlineData("expired", "expired")]
    [InlineData("not yet valid", "not_yet_valid")]
    public async Task ABadTokenIsRefusedWith401AndItsReason(string tampering, string reason)
    {
        string token = await IssueAsync("erin", "read", ttlSeconds: 60);
        string bad = Tamper(token, tampering);

        using HttpResponseMessage response = await PostJsonAsync("/tokens/verify", new JsonObject { ["token"] = bad });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, reason);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task AnIssuedTokenExpiresWhenTheClockPassesItsExp()
    {
        // Frozen: the second boundaries below must not move with the time the requests themselves take.
        Server.Clock.Freeze();
        try
        {
            string token = await IssueAsync("frank", "read", ttlSeconds: 60);
            Server.Clock.Advance(TimeSpan.FromSeconds(60 + 29));
            using (HttpResponseMessage withinSkew = await PostJsonAsync("/tokens/verify", new JsonObject { ["token"] = token }))
            {
                Assert.Equal(HttpStatusCode.OK, withinSkew.StatusCode);
            }

            Server.Clock.Advance(TimeSpan.FromSeconds(2));
            using HttpResponseMessage expired = await PostJsonAsync("/tokens/verify", new JsonObject { ["token"] = token });
            await AssertProblemAsync(expired, HttpStatusCode.Unauthorized, "expired");
        }
        finally
        {
            Server.Clock.Reset();
        }
    }

    [Theory]
    [InlineData("{\"sub\":", "malformed_json")]
    [InlineData("not json", "malformed_json")]
    [InlineData("", "malformed_json")]
    [InlineData("[]", "malformed_json")]
    [InlineData("null", "malformed_json")]
    [InlineData("\"alice\"", "malformed_json")]
    [InlineData("{\"sub\":1}", "malformed_json")]
    [InlineData("{\"sub\":\"a\",\"ttlSeconds\":\"60\"}", "malformed_json")]
    [InlineData("{\"sub\":\"a\",\"ttlSeconds\":1.5}", "malformed_json")]
    [InlineData("{\"sub\":\"a\",\"ttlSeconds\":99999999999}", "malformed_json")]
    [InlineData("{\"sub\":\"a\",\"scope\":[\"read\"]}", "malformed_json")]
    [InlineData("{\"sub\":\"a\"} trailing", "malformed_json")]
    [InlineData("{}", "missing_field")]
    [InlineData("{\"scope\":\"read\"}", "missing_field")]
    [InlineData("{\"sub\":\"  \"}", "missing_field")]
    [InlineData("{\"sub\":null}", "missing_field")]
    [InlineData("{\"sub\":\"a\",\"ttlSeconds\":0}", "invalid_field")]
    [InlineData("{\"sub\":\"a\",\"ttlSeconds\":-5}", "invalid_field")]
    [InlineData("{\"sub\":\"a\",\"ttlSeconds\":86401}", "invalid_field")]
    public async Task ABadTokenRequestIsA400(string body, string reason)
    {
        using HttpResponseMessage response = await PostTextAsync("/tokens", body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, reason);
    }

    [Theory]
    [InlineData("{\"token\":", "malformed_json")]
    [InlineData("{\"token\":5}", "malformed_json")]
    [InlineData("{\"token\":{}}", "malformed_json")]
    [InlineData("[\"a.b.c\"]", "malformed_json")]
    [InlineData("{}", "missing_field")]
    public async Task ABadVerifyRequestIsA400(string body, string reason)
    {
        using HttpResponseMessage response = await PostTextAsync("/tokens/verify", body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task InvalidUtf8InAJsonBodyIsA400()
    {
        byte[] body = [.. "{\"sub\":\""u8, 0xFF, 0xFE, .. "\"}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using HttpResponseMessage response = await Client.PostAsync(new Uri("/tokens", UriKind.Relative), content).Guarded();

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task TheJwksHoldsThePublicSigningKeyOnly()
    {
        JsonObject jwks = await GetJwksAsync();

        JsonObject jwk = jwks["keys"]!.AsArray().Single()!.AsObject();
        Assert.Equal("EC", (string?)jwk["kty"]);
        Assert.Equal("P-256", (string?)jwk["crv"]);
        Assert.Equal("ES256", (string?)jwk["alg"]);
        Assert.Equal("sig", (string?)jwk["use"]);
        Assert.Equal(Server.Keys.SigningKeyId, (string?)jwk["kid"]);
        Assert.Equal(32, Base64UrlDecode((string)jwk["x"]!).Length);
        Assert.Equal(32, Base64UrlDecode((string)jwk["y"]!).Length);
        Assert.Null(jwk["d"]);
        // The kid is the key's RFC 7638 thumbprint, as the JWT library computes it.
        Assert.Equal(Server.Keys.SigningKeyId, Base64UrlEncoder.Encode(new JsonWebKey(jwk.ToJsonString()).ComputeJwkThumbprint()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(64 * 1024)]
    public async Task RawBytesSealAndOpenBackToThemselves(int length)
    {
        byte[] payload = RandomNumberGenerator.GetBytes(length);

        JsonObject envelope = await SealRawAsync(payload);
        using HttpResponseMessage opened = await PostJsonAsync("/open", envelope);

        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal("application/octet-stream", opened.Content.Headers.ContentType?.MediaType);
        Assert.Equal(payload, await opened.Content.ReadAsByteArrayAsync().Guarded());
        Assert.Equal(Server.Keys.EncryptionKeyId, (string?)envelope["kid"]);
        Assert.Equal("A256GCM", (string?)envelope["alg"]);
        Assert.Equal(12, Base64UrlDecode((string)envelope["nonce"]!).Length);
        Assert.Equal(16, Base64UrlDecode((string)envelope["tag"]!).Length);
        Assert.Equal(length, Base64UrlDecode((string)envelope["ciphertext"]!).Length);
    }

    [Fact]
    public async Task JsonDataSealsAndOpensAsJson()
    {
        byte[] payload = Encoding.UTF8.GetBytes("{\"card\":\"4111 1111 1111 1111\"}");

        using HttpResponseMessage sealedResponse = await PostJsonAsync("/seal", new JsonObject { ["data"] = Convert.ToBase64String(payload) });
        Assert.Equal(HttpStatusCode.OK, sealedResponse.StatusCode);
        JsonObject envelope = await sealedResponse.ReadObjectAsync();
        Assert.DoesNotContain("4111", envelope.ToJsonString(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/open", UriKind.Relative)) { Content = JsonContent(envelope.ToJsonString()) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using HttpResponseMessage opened = await Client.SendAsync(request).Guarded();

        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal(payload, Convert.FromBase64String((string)(await opened.ReadObjectAsync())["data"]!));
    }

    [Fact]
    public async Task TwoSealsOfTheSamePayloadDiffer()
    {
        byte[] payload = Encoding.ASCII.GetBytes("same");

        JsonObject first = await SealRawAsync(payload);
        JsonObject second = await SealRawAsync(payload);

        Assert.NotEqual((string?)first["nonce"], (string?)second["nonce"]);
        Assert.NotEqual((string?)first["ciphertext"], (string?)second["ciphertext"]);
    }

    [Theory]
    [InlineData("ciphertext", "authentication_failed")]
    [InlineData("tag", "authentication_failed")]
    [InlineData("nonce", "authentication_failed")]
    [InlineData("kid", "unknown_kid")]
    [InlineData("alg", "unsupported_alg")]
    [InlineData("short nonce", "malformed_envelope")]
    [InlineData("short tag", "malformed_envelope")]
    [InlineData("standard base64", "malformed_envelope")]
    [InlineData("no tag", "missing_field")]
    [InlineData("tag a number", "malformed_json")]
    public async Task ATamperedOrMalformedEnvelopeIsA400(string tampering, string reason)
    {
        JsonObject envelope = await SealRawAsync(Encoding.ASCII.GetBytes("the quick brown fox"));
        switch (tampering)
        {
            case "ciphertext":
            case "tag":
            case "nonce":
                byte[] bytes = Base64UrlDecode((string)envelope[tampering]!);
                bytes[0] ^= 0x01;
                envelope[tampering] = Jwt.Encode(bytes);
                break;
            case "kid":
                envelope["kid"] = "enc-someone-else";
                break;
            case "alg":
                envelope["alg"] = "A128GCM";
                break;
            case "short nonce":
                envelope["nonce"] = Jwt.Encode(new byte[8]);
                break;
            case "short tag":
                envelope["tag"] = Jwt.Encode(new byte[12]);
                break;
            case "standard base64":
                envelope["ciphertext"] = Convert.ToBase64String(Base64UrlDecode((string)envelope["ciphertext"]!)) + "+/=";
                break;
            case "no tag":
                envelope.Remove("tag");
                break;
            case "tag a number":
                envelope["tag"] = 12;
                break;
        }

        using HttpResponseMessage response = await PostJsonAsync("/open", envelope);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, reason);
    }

    [Theory]
    [InlineData("/seal", "{\"data\":")]
    [InlineData("/seal", "{\"data\":7}")]
    [InlineData("/seal", "{}")]
    [InlineData("/seal", "{\"data\":\"not base64!\"}")]
    [InlineData("/open", "{\"kid\":")]
    [InlineData("/open", "\"envelope\"")]
    [InlineData("/open", "{}")]
    public async Task ABadSealOrOpenRequestIsA400(string path, string body)
    {
        using HttpResponseMessage response = await PostTextAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ARawPayloadOverTheLimitIsA413()
    {
        using var content = new ByteArrayContent(new byte[Server.MaxPayloadBytes + 1]);

        using HttpResponseMessage response = await Client.PostAsync(new Uri("/seal", UriKind.Relative), content).Guarded();

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task AChunkedPayloadOverTheLimitIsA413()
    {
        using var content = new StreamContent(new MemoryStream(new byte[Server.MaxPayloadBytes + 1000]));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/seal", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using HttpResponseMessage response = await Client.SendAsync(request).Guarded();

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task AJsonPayloadOverTheLimitIsA413()
    {
        string data = Convert.ToBase64String(new byte[Server.MaxPayloadBytes + 1]);

        using HttpResponseMessage response = await PostJsonAsync("/seal", new JsonObject { ["data"] = data });

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task AnOversizedTokenRequestIsA413()
    {
        using HttpResponseMessage response = await PostJsonAsync("/tokens", new JsonObject { ["sub"] = new string('a', 20_000) });

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task TheEndpointsAnswerOnHttp2()
    {
        using HttpClient client = Server.CreateClient(HttpVersion.Version20);

        using HttpResponseMessage issued = await client.PostAsync(new Uri("/tokens", UriKind.Relative), JsonContent("{\"sub\":\"h2\"}")).Guarded();
        Assert.Equal(HttpVersion.Version20, issued.Version);
        string token = (string)(await issued.ReadObjectAsync())["token"]!;
        using HttpResponseMessage verified = await client.PostAsync(new Uri("/tokens/verify", UriKind.Relative), JsonContent(new JsonObject { ["token"] = token }.ToJsonString())).Guarded();

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Fact]
    public async Task ConcurrentRequestsOnManyConnectionsAllSucceed()
    {
        using HttpClient client = Server.CreateClient(maxConnections: 16);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            using HttpResponseMessage issued = await client.PostAsync(new Uri("/tokens", UriKind.Relative), JsonContent($"{{\"sub\":\"user-{i}\"}}")).Guarded();
            Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
            string token = (string)(await issued.ReadObjectAsync())["token"]!;
            using HttpResponseMessage verified = await client.PostAsync(new Uri("/tokens/verify", UriKind.Relative), JsonContent(new JsonObject { ["token"] = token }.ToJsonString())).Guarded();
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
            Assert.Equal($"user-{i}", (string?)(await verified.ReadObjectAsync())["claims"]!["sub"]);

            byte[] payload = RandomNumberGenerator.GetBytes(100 + i);
            using HttpResponseMessage sealedResponse = await client.PostAsync(new Uri("/seal", UriKind.Relative), new ByteArrayContent(payload)).Guarded();
            string envelope = await sealedResponse.Content.ReadAsStringAsync().Guarded();
            using HttpResponseMessage opened = await client.PostAsync(new Uri("/open", UriKind.Relative), JsonContent(envelope)).Guarded();
            Assert.Equal(payload, await opened.Content.ReadAsByteArrayAsync().Guarded());
        })).Guarded();
    }

    [Fact]
    public async Task UnknownPathsAndMethodsAreNot500()
    {
        using HttpResponseMessage missing = await Client.GetAsync(new Uri("/nope", UriKind.Relative)).Guarded();
        using HttpResponseMessage wrongMethod = await Client.GetAsync(new Uri("/tokens", UriKind.Relative)).Guarded();

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static string CreateLibraryToken(ECDsa key, string keyId, string issuer, DateTimeOffset expires, DateTimeOffset? notBefore = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Subject = new ClaimsIdentity([new Claim("sub", "library-user"), new Claim("scope", "read")]),
            IssuedAt = (notBefore ?? expires.AddMinutes(-10)).UtcDateTime,
            NotBefore = (notBefore ?? expires.AddMinutes(-10)).UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private string Tamper(string token, string tampering)
    {
        string kid = Server.Keys.SigningKeyId;
        DateTimeOffset now = Server.Clock.GetUtcNow();
        switch (tampering)
        {
            case "payload changed":
                JsonObject payload = Jwt.Payload(token);
                payload["sub"] = "mallory";
                return Jwt.With(token, payload: payload);
            case "signature changed":
                byte[] signature = Jwt.Signature(token);
                signature[10] ^= 0x40;
                return Jwt.With(token, signature: signature);
            case "signature of another key":
                using (ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return CreateLibraryToken(other, kid, Server.Issuer, now.AddMinutes(5));
                }

            case "signature truncated":
                return Jwt.With(token, signature: Jwt.Signature(token)[..63]);
            case "signature empty":
                return token[..(token.LastIndexOf('.') + 1)];
            case "alg none":
                return Jwt.Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." + Jwt.Split(token)[1] + ".";
            case "alg HS256":
                return Jwt.With(token, header: new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = kid });
            case "alg RS256":
                return Jwt.With(token, header: new JsonObject { ["alg"] = "RS256", ["kid"] = kid });
            case "unknown kid":
                using (ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return CreateLibraryToken(other, "someone-elses-key", Server.Issuer, now.AddMinutes(5));
                }

            case "no kid":
                return Jwt.Sign(new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT" }, Jwt.Payload(token), Server.Keys.SigningKey);
            case "header not JSON":
                return Jwt.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"ES256\",")) + token[token.IndexOf('.')..];
            case "header an array":
                return Jwt.Encode(Encoding.UTF8.GetBytes("[\"ES256\"]")) + token[token.IndexOf('.')..];
            case "crit header":
                return Jwt.Sign(new JsonObject { ["alg"] = "ES256", ["kid"] = kid, ["crit"] = new JsonArray("exp"), ["exp"] = 1 }, Jwt.Payload(token), Server.Keys.SigningKey);
            case "payload not JSON":
                return SignRaw(Jwt.Split(token)[0], "not json");
            case "payload without exp":
                JsonObject noExp = Jwt.Payload(token);
                noExp.Remove("exp");
                return Jwt.Sign(Jwt.Header(token), noExp, Server.Keys.SigningKey);
            case "padded segments":
                string[] parts = Jwt.Split(token);
                return parts[0] + "==." + parts[1] + "." + parts[2];
            case "two segments":
                return token[..token.LastIndexOf('.')];
            case "five segments (JWE)":
                return token + ".AAAA.BBBB";
            case "garbage":
                return "this is not a token at all";
            case "empty":
                return "";
            case "dots only":
                return "..";
            case "wrong issuer":
                return CreateLibraryToken(Server.Keys.SigningKey, kid, "https://someone-else.test", now.AddMinutes(5));
            case "expired":
                return CreateLibraryToken(Server.Keys.SigningKey, kid, Server.Issuer, now.AddMinutes(-5));
            case "not yet valid":
                return CreateLibraryToken(Server.Keys.SigningKey, kid, Server.Issuer, now.AddMinutes(30), notBefore: now.AddMinutes(10));
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering), tampering, null);
        }

        string SignRaw(string header, string payloadText)
        {
            string input = header + "." + Jwt.Encode(Encoding.UTF8.GetBytes(payloadText));
            byte[] signature = Server.Keys.SigningKey.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            return input + "." + Jwt.Encode(signature);
        }
    }

    private async Task<string> IssueAsync(string subject, string scope, int ttlSeconds)
    {
        using HttpResponseMessage response = await PostJsonAsync("/tokens", new JsonObject { ["sub"] = subject, ["scope"] = scope, ["ttlSeconds"] = ttlSeconds });
        JsonObject body = await response.ReadObjectAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("Bearer", (string?)body["tokenType"]);
        Assert.Equal(ttlSeconds, (int)body["expiresIn"]!);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (string)body["token"]!;
    }

    private async Task<JsonObject> GetJwksAsync()
    {
        using HttpResponseMessage response = await Client.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative)).Guarded();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await response.ReadObjectAsync();
    }

    private async Task<JsonObject> SealRawAsync(byte[] payload)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage response = await Client.PostAsync(new Uri("/seal", UriKind.Relative), content).Guarded();
        JsonObject envelope = await response.ReadObjectAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, envelope.ToJsonString());
        return envelope;
    }

    private Task<HttpResponseMessage> PostJsonAsync(string path, JsonNode body) => PostTextAsync(path, body.ToJsonString());

    private Task<HttpResponseMessage> PostTextAsync(string path, string body)
        => Client.PostAsync(new Uri(path, UriKind.Relative), JsonContent(body)).Guarded();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        string text = await response.Content.ReadAsStringAsync().Guarded();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonObject problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.Equal(reason, (string?)problem["reason"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
    }
}
