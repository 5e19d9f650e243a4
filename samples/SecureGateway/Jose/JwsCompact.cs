using System.Text;
using System.Text.Json;

namespace SecureGateway.Jose;

/// <summary>A compact JWS split and decoded, not yet verified.</summary>
/// <param name="Algorithm">The header's <c>alg</c>.</param>
/// <param name="KeyId">The header's <c>kid</c>, or null when it has none.</param>
/// <param name="SigningInput">The ASCII bytes of <c>header.payload</c>, the text the signature covers.</param>
/// <param name="Payload">The decoded payload (the claims' JSON, not yet parsed).</param>
/// <param name="Signature">The decoded signature.</param>
internal sealed record ParsedJws(string Algorithm, string? KeyId, byte[] SigningInput, byte[] Payload, byte[] Signature);

/// <summary>
/// The JWS compact serialization (RFC 7515, section 7.1): <c>BASE64URL(header) . BASE64URL(payload) .
/// BASE64URL(signature)</c>. Only the format: which algorithms and keys are acceptable is the verifier's call.
/// </summary>
internal static class JwsCompact
{
    /// <summary>The JSON header of the tokens the gateway issues.</summary>
    public static byte[] CreateHeader(string keyId)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(96);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alg"u8, "ES256"u8);
            writer.WriteString("typ"u8, "JWT"u8);
            writer.WriteString("kid"u8, keyId);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Joins the encoded header and the payload into the signing input <c>header.payload</c> (ASCII).</summary>
    public static byte[] CreateSigningInput(string encodedHeader, ReadOnlySpan<byte> payload)
    {
        int payloadLength = System.Buffers.Text.Base64Url.GetEncodedLength(payload.Length);
        byte[] input = new byte[encodedHeader.Length + 1 + payloadLength];
        Encoding.ASCII.GetBytes(encodedHeader, input);
        input[encodedHeader.Length] = (byte)'.';
        System.Buffers.Text.Base64Url.EncodeToUtf8(payload, input.AsSpan(encodedHeader.Length + 1));
        return input;
    }

    /// <summary>The token: the signing input, a dot, and the encoded signature.</summary>
    public static string Assemble(byte[] signingInput, byte[] signature)
    {
        int signatureLength = System.Buffers.Text.Base64Url.GetEncodedLength(signature.Length);
        return string.Create(signingInput.Length + 1 + signatureLength, (signingInput, signature), static (chars, state) =>
        {
            Encoding.ASCII.GetChars(state.signingInput, chars);
            chars[state.signingInput.Length] = '.';
            System.Buffers.Text.Base64Url.EncodeToChars(state.signature, chars[(state.signingInput.Length + 1)..]);
        });
    }

    /// <summary>
    /// Splits and decodes <paramref name="token"/>. A header that is exactly <paramref name="knownHeader"/> (the
    /// gateway's own, encoded) is not parsed again: its <c>alg</c> is ES256 and its <c>kid</c> is
    /// <paramref name="knownKeyId"/>.
    /// </summary>
    public static bool TryParse(string token, string knownHeader, string knownKeyId, out ParsedJws? jws, out TokenError error)
    {
        jws = null;
        ReadOnlySpan<char> text = token;
        int firstDot = text.IndexOf('.');
        int secondDot = firstDot < 0 ? -1 : text[(firstDot + 1)..].IndexOf('.');
        if (secondDot < 0)
        {
            error = new TokenError(TokenFailure.Malformed, "A token is three base64url segments separated by dots.");
            return false;
        }

        secondDot += firstDot + 1;
        ReadOnlySpan<char> headerText = text[..firstDot];
        ReadOnlySpan<char> payloadText = text[(firstDot + 1)..secondDot];
        ReadOnlySpan<char> signatureText = text[(secondDot + 1)..];
        if (signatureText.Contains('.'))
        {
            error = new TokenError(TokenFailure.Malformed, "A token is three base64url segments separated by dots (JWE is not accepted).");
            return false;
        }

        if (headerText.IsEmpty || payloadText.IsEmpty)
        {
            error = new TokenError(TokenFailure.Malformed, "The token's header or payload segment is empty.");
            return false;
        }

        string algorithm;
        string? keyId;
        if (headerText.SequenceEqual(knownHeader))
        {
            algorithm = "ES256";
            keyId = knownKeyId;
        }
        else if (!Base64UrlStrict.TryDecode(headerText, out byte[] header))
        {
            error = new TokenError(TokenFailure.Malformed, "The token's header is not base64url.");
            return false;
        }
        else if (!TryReadHeader(header, out algorithm, out keyId, out error))
        {
            return false;
        }

        if (!Base64UrlStrict.TryDecode(payloadText, out byte[] payload))
        {
            error = new TokenError(TokenFailure.Malformed, "The token's payload is not base64url.");
            return false;
        }

        if (!Base64UrlStrict.TryDecode(signatureText, out byte[] signature))
        {
            error = new TokenError(TokenFailure.Malformed, "The token's signature is not base64url.");
            return false;
        }

        // Every character before the second dot is now known to be ASCII.
        byte[] signingInput = new byte[secondDot];
        Encoding.ASCII.GetBytes(text[..secondDot], signingInput);
        jws = new ParsedJws(algorithm, keyId, signingInput, payload, signature);
        error = default;
        return true;
    }

    private static bool TryReadHeader(byte[] header, out string algorithm, out string? keyId, out TokenError error)
    {
        algorithm = "";
        keyId = null;
        string? alg = null;
        try
        {
            var reader = new Utf8JsonReader(header);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = new TokenError(TokenFailure.Malformed, "The token's header is not a JSON object.");
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    if (alg is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        error = new TokenError(TokenFailure.Malformed, "The token's header has a bad or repeated \"alg\".");
                        return false;
                    }

                    alg = reader.GetString()!;
                }
                else if (reader.ValueTextEquals("kid"u8))
                {
                    if (keyId is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        error = new TokenError(TokenFailure.Malformed, "The token's header has a bad or repeated \"kid\".");
                        return false;
                    }

                    keyId = reader.GetString()!;
                }
                else if (reader.ValueTextEquals("crit"u8))
                {
                    // RFC 7515, section 4.1.11: a recipient that does not understand a critical extension must refuse.
                    error = new TokenError(TokenFailure.Malformed, "The token's header names critical extensions (\"crit\"), and none is supported.");
                    return false;
                }
                else
                {
                    // typ, cty and anything else are ignored; embedded keys (jwk, jku, x5u, x5c) are never trusted.
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = new TokenError(TokenFailure.Malformed, "The token's header is not a JSON object.");
                return false;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8.
            error = new TokenError(TokenFailure.Malformed, "The token's header is not valid JSON.");
            return false;
        }

        if (alg is null)
        {
            error = new TokenError(TokenFailure.Malformed, "The token's header has no \"alg\".");
            return false;
        }

        algorithm = alg;
        error = default;
        return true;
    }
}
