using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Interlude;
using Microsoft.AspNetCore.Http;
using SecureGateway.Http;
using SecureGateway.Jose;

namespace SecureGateway;

/// <summary>
/// The endpoints' logic, one instance per mapping. Each handler reads its body whole (bounded), validates it,
/// makes exactly one crypto call (one await: on the engine, or inline), and answers; every refusal is a 4xx
/// problem. SHA-256 of a token's signing input is computed inline (a few hundred bytes: well under a
/// microsecond, less than a round trip to the engine); the private-key and AES operations go to the engine.
/// </summary>
internal sealed class Gateway : IDisposable
{
    /// <summary>The largest token request body: a subject and a scope, not a payload.</summary>
    public const int MaxTokenRequestBytes = 8 * 1024;

    /// <summary>The largest verify request body, and so the largest token.</summary>
    public const int MaxVerifyRequestBytes = 16 * 1024;

    /// <summary>The longest <c>sub</c> and <c>scope</c>, in characters.</summary>
    public const int MaxClaimLength = 1024;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int SignatureBytes = 64;

    private readonly GatewayKeys _keys;
    private readonly GatewayCrypto _crypto;
    private readonly GatewayOptions _options;
    private readonly string _encodedHeader;
    private readonly byte[] _jwks;
    private readonly byte[] _associatedData;
    private readonly byte[] _info;
    private readonly long _maxJsonPayloadBytes;

    public Gateway(GatewayKeys keys, GatewayCrypto crypto, GatewayOptions options)
    {
        _keys = keys;
        _crypto = crypto;
        _options = options;
        _encodedHeader = Base64UrlStrict.Encode(JwsCompact.CreateHeader(keys.SigningKeyId));
        _jwks = Encoding.UTF8.GetBytes(keys.Jwks);
        // The envelope's key id is authenticated with it: an envelope moved to another key id does not open.
        _associatedData = Encoding.UTF8.GetBytes("SecureGateway/A256GCM/" + keys.EncryptionKeyId);
        // A payload in JSON is base64 (a third larger), plus the envelope's other members.
        _maxJsonPayloadBytes = Base64.GetMaxEncodedToUtf8Length(options.MaxPayloadBytes) + 1024;
        var info = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(info))
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, "SecureGateway"u8);
            writer.WriteString("crypto"u8, crypto.Mode);
            writer.WriteString("issuer"u8, options.Issuer);
            writer.WriteString("signingKeyId"u8, keys.SigningKeyId);
            writer.WriteString("encryptionKeyId"u8, keys.EncryptionKeyId);
            writer.WriteNumber("maxPayloadBytes"u8, options.MaxPayloadBytes);
            writer.WriteEndObject();
        }

        _info = info.WrittenSpan.ToArray();
    }

    /// <summary>"engine" or "inline".</summary>
    public string CryptoMode => _crypto.Mode;

    public IResult Info() => Responses.Bytes(_info, "application/json");

    public IResult Jwks() => Responses.Bytes(_jwks, "application/json");

    /// <summary><c>POST /tokens</c>: {"sub", "scope"?, "ttlSeconds"?} → an ES256 JWT.</summary>
    public async Task<IResult> IssueAsync(HttpContext context)
    {
        (byte[]? body, IResult? failure) = await RequestBody.ReadAsync(context.Request, MaxTokenRequestBytes, "token request").ConfigureAwait(false);
        if (body is null)
        {
            return failure!;
        }

        if (!RequestBody.TryParse(body, GatewayJson.Default.TokenRequest, out TokenRequest? request, out failure))
        {
            return failure!;
        }

        if (string.IsNullOrWhiteSpace(request!.Sub))
        {
            return Responses.BadRequest("missing_field", "\"sub\" is required: a non-empty string.");
        }

        if (request.Sub.Length > MaxClaimLength || request.Scope?.Length > MaxClaimLength)
        {
            return Responses.BadRequest("invalid_field", $"\"sub\" and \"scope\" are at most {MaxClaimLength} characters.");
        }

        int ttl = request.TtlSeconds ?? _options.DefaultTokenLifetimeSeconds;
        if (ttl < 1 || ttl > _options.MaxTokenLifetimeSeconds)
        {
            return Responses.BadRequest("invalid_field", $"\"ttlSeconds\" must be between 1 and {_options.MaxTokenLifetimeSeconds}.");
        }

        long now = _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        long expires = now + ttl;
        string tokenId = Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(16));
        byte[] claims = JwtClaims.Write(_options.Issuer, request.Sub, request.Scope, now, expires, tokenId);
        byte[] signingInput = JwsCompact.CreateSigningInput(_encodedHeader, claims);
        byte[] hash = SHA256.HashData(signingInput);
        byte[] signature = await _crypto.SignHashAsync(hash, context.RequestAborted).ConfigureAwait(false);
        string token = JwsCompact.Assemble(signingInput, signature);
        return Responses.Json((token, ttl, expires, _keys.SigningKeyId), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("token"u8, state.token);
            writer.WriteString("tokenType"u8, "Bearer"u8);
            writer.WriteNumber("expiresIn"u8, state.ttl);
            writer.WriteNumber("expiresAt"u8, state.expires);
            writer.WriteString("kid"u8, state.SigningKeyId);
            writer.WriteEndObject();
        }, noStore: true);
    }

    /// <summary><c>POST /tokens/verify</c>: {"token"} → 200 with its claims, or 401 with the reason.</summary>
    public async Task<IResult> VerifyAsync(HttpContext context)
    {
        (byte[]? body, IResult? failure) = await RequestBody.ReadAsync(context.Request, MaxVerifyRequestBytes, "verify request").ConfigureAwait(false);
        if (body is null)
        {
            return failure!;
        }

        if (!RequestBody.TryParse(body, GatewayJson.Default.VerifyRequest, out VerifyRequest? request, out failure))
        {
            return failure!;
        }

        if (request!.Token is null)
        {
            return Responses.BadRequest("missing_field", "\"token\" is required: a string.");
        }

        if (!JwsCompact.TryParse(request.Token, _encodedHeader, _keys.SigningKeyId, out ParsedJws? jws, out TokenError error))
        {
            return Unauthorized(error);
        }

        if (!string.Equals(jws!.Algorithm, "ES256", StringComparison.Ordinal))
        {
            return Unauthorized(new TokenError(TokenFailure.UnsupportedAlgorithm, string.Equals(jws.Algorithm, "none", StringComparison.OrdinalIgnoreCase)
                ? "Unsecured tokens (alg \"none\") are never accepted."
                : "Only ES256 tokens are accepted."));
        }

        if (!string.Equals(jws.KeyId, _keys.SigningKeyId, StringComparison.Ordinal))
        {
            return Unauthorized(new TokenError(TokenFailure.UnknownKey, jws.KeyId is null ? "The token's header has no \"kid\"." : "The token's \"kid\" names no key of this gateway."));
        }

        if (jws.Signature.Length != SignatureBytes)
        {
            return Unauthorized(new TokenError(TokenFailure.BadSignature, "An ES256 signature is 64 bytes."));
        }

        byte[] hash = SHA256.HashData(jws.SigningInput);
        if (!await _crypto.VerifyHashAsync(hash, jws.Signature, context.RequestAborted).ConfigureAwait(false))
        {
            return Unauthorized(new TokenError(TokenFailure.BadSignature, "The signature does not verify."));
        }

        if (!JwtClaims.TryValidate(jws.Payload, _options.Issuer, _options.TimeProvider.GetUtcNow(), _options.ClockSkew, out error))
        {
            return Unauthorized(error);
        }

        return Responses.Json((jws.Payload, jws.KeyId), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("valid"u8, true);
            writer.WriteString("kid"u8, state.KeyId);
            writer.WritePropertyName("claims"u8);
            writer.WriteRawValue(state.Payload, skipInputValidation: false);
            writer.WriteEndObject();
        });
    }

    /// <summary><c>POST /seal</c>: raw bytes, or {"data": base64} as JSON → an AES-256-GCM envelope.</summary>
    public async Task<IResult> SealAsync(HttpContext context)
    {
        bool json = context.Request.HasJsonContentType();
        long limit = json ? _maxJsonPayloadBytes : _options.MaxPayloadBytes;
        (byte[]? body, IResult? failure) = await RequestBody.ReadAsync(context.Request, limit, "payload").ConfigureAwait(false);
        if (body is null)
        {
            return failure!;
        }

        byte[] plaintext = body;
        if (json)
        {
            if (!RequestBody.TryParse(body, GatewayJson.Default.SealRequest, out SealRequest? request, out failure))
            {
                return failure!;
            }

            if (request!.Data is null)
            {
                return Responses.BadRequest("missing_field", "\"data\" is required: the payload in base64 (or base64url).");
            }

            if (!TryDecodeBase64(request.Data, out plaintext))
            {
                return Responses.BadRequest("bad_base64", "\"data\" is not base64 (or base64url).");
            }

            if (plaintext.Length > _options.MaxPayloadBytes)
            {
                return Responses.TooLarge($"The payload is larger than {_options.MaxPayloadBytes} bytes.");
            }
        }

        byte[] nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        byte[] ciphertext = new byte[plaintext.Length];
        byte[] tag = new byte[TagBytes];
        await _crypto.SealAsync(nonce, plaintext, ciphertext, tag, _associatedData, context.RequestAborted).ConfigureAwait(false);
        return Responses.Json((_keys.EncryptionKeyId, nonce, ciphertext, tag), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("kid"u8, state.EncryptionKeyId);
            writer.WriteString("alg"u8, "A256GCM"u8);
            writer.WriteString("nonce"u8, Base64UrlStrict.Encode(state.nonce));
            writer.WriteString("ciphertext"u8, Base64UrlStrict.Encode(state.ciphertext));
            writer.WriteString("tag"u8, Base64UrlStrict.Encode(state.tag));
            writer.WriteEndObject();
        });
    }

    /// <summary><c>POST /open</c>: an envelope → the plaintext (raw, or {"data": base64} for Accept: application/json).</summary>
    public async Task<IResult> OpenAsync(HttpContext context)
    {
        (byte[]? body, IResult? failure) = await RequestBody.ReadAsync(context.Request, _maxJsonPayloadBytes, "envelope").ConfigureAwait(false);
        if (body is null)
        {
            return failure!;
        }

        if (!RequestBody.TryParse(body, GatewayJson.Default.Envelope, out Envelope? envelope, out failure))
        {
            return failure!;
        }

        if (envelope!.Kid is null || envelope.Nonce is null || envelope.Ciphertext is null || envelope.Tag is null)
        {
            return Responses.BadRequest("missing_field", "An envelope has \"kid\", \"nonce\", \"ciphertext\" and \"tag\" (strings).");
        }

        if (envelope.Alg is not null && !string.Equals(envelope.Alg, "A256GCM", StringComparison.Ordinal))
        {
            return Responses.BadRequest("unsupported_alg", "Only A256GCM envelopes are accepted.");
        }

        if (!string.Equals(envelope.Kid, _keys.EncryptionKeyId, StringComparison.Ordinal))
        {
            return Responses.BadRequest("unknown_kid", "The envelope's \"kid\" names no key of this gateway.");
        }

        if (!Base64UrlStrict.TryDecode(envelope.Nonce, out byte[] nonce) || nonce.Length != NonceBytes
            || !Base64UrlStrict.TryDecode(envelope.Tag, out byte[] tag) || tag.Length != TagBytes
            || !Base64UrlStrict.TryDecode(envelope.Ciphertext, out byte[] ciphertext))
        {
            return Responses.BadRequest("malformed_envelope", "The envelope's nonce (12 bytes), tag (16 bytes) and ciphertext are unpadded base64url.");
        }

        if (ciphertext.Length > _options.MaxPayloadBytes)
        {
            return Responses.TooLarge($"The payload is larger than {_options.MaxPayloadBytes} bytes.");
        }

        byte[] plaintext = new byte[ciphertext.Length];
        try
        {
            await _crypto.OpenAsync(nonce, ciphertext, tag, plaintext, _associatedData, context.RequestAborted).ConfigureAwait(false);
        }
        catch (CryptographicException)
        {
            // AuthenticationTagMismatchException, or any other refusal to decrypt: nothing of the plaintext leaves.
            CryptographicOperations.ZeroMemory(plaintext);
            return Responses.BadRequest("authentication_failed", "The envelope does not authenticate: it was changed, or sealed by another key.");
        }

        if (context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Responses.Json(plaintext, static (writer, data) =>
            {
                writer.WriteStartObject();
                writer.WriteBase64String("data"u8, data);
                writer.WriteEndObject();
            }, noStore: true);
        }

        return Responses.Bytes(plaintext, "application/octet-stream", noStore: true);
    }

    public void Dispose() => _crypto.Dispose();

    private static IResult Unauthorized(TokenError error) => Responses.Problem(
        StatusCodes.Status401Unauthorized,
        "Invalid token",
        error.Reason,
        error.Detail,
        // RFC 6750, section 3: the reason code alone, as it needs no quoting.
        response => response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{error.Reason}\"");

    /// <summary>Standard base64 (padded or not, as JSON byte arrays are written) or base64url.</summary>
    private static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        byte[] buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length) + 2];
        // Base64Url.TryDecodeFromChars throws on a bad character; DecodeFromChars reports it.
        if (Convert.TryFromBase64String(text, buffer, out int written)
            || Base64Url.DecodeFromChars(text, buffer, out _, out written) == System.Buffers.OperationStatus.Done)
        {
            bytes = buffer.AsSpan(0, written).ToArray();
            return true;
        }

        bytes = [];
        return false;
    }
}
