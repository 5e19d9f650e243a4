using System.Buffers;
using System.Text.Json;

namespace SecureGateway.Jose;

/// <summary>The JWT claims set (RFC 7519) the gateway writes, and the checks it makes on one it reads.</summary>
internal static class JwtClaims
{
    /// <summary>The claims of an issued token, in this order: iss, sub, scope (when given), iat, exp, jti.</summary>
    public static byte[] Write(string issuer, string subject, string? scope, long issuedAt, long expires, string tokenId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("iss"u8, issuer);
            writer.WriteString("sub"u8, subject);
            if (scope is not null)
            {
                writer.WriteString("scope"u8, scope);
            }

            writer.WriteNumber("iat"u8, issuedAt);
            writer.WriteNumber("exp"u8, expires);
            writer.WriteString("jti"u8, tokenId);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Checks a verified token's claims: a JSON object with a numeric <c>exp</c> that is not past, an <c>nbf</c>
    /// (if any) that is not ahead, and <c>iss</c> equal to <paramref name="issuer"/>; both times with
    /// <paramref name="clockSkew"/> of tolerance. Other claims are the application's business.
    /// </summary>
    public static bool TryValidate(ReadOnlySpan<byte> payload, string issuer, DateTimeOffset now, TimeSpan clockSkew, out TokenError error)
    {
        double? expires = null;
        double? notBefore = null;
        string? tokenIssuer = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = new TokenError(TokenFailure.Malformed, "The token's payload is not a JSON object.");
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("exp"u8))
                {
                    if (expires is not null || !TryReadNumericDate(ref reader, out double value))
                    {
                        error = new TokenError(TokenFailure.Malformed, "The token's \"exp\" is not a single number.");
                        return false;
                    }

                    expires = value;
                }
                else if (reader.ValueTextEquals("nbf"u8))
                {
                    if (notBefore is not null || !TryReadNumericDate(ref reader, out double value))
                    {
                        error = new TokenError(TokenFailure.Malformed, "The token's \"nbf\" is not a single number.");
                        return false;
                    }

                    notBefore = value;
                }
                else if (reader.ValueTextEquals("iss"u8))
                {
                    if (tokenIssuer is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        error = new TokenError(TokenFailure.Malformed, "The token's \"iss\" is not a single string.");
                        return false;
                    }

                    tokenIssuer = reader.GetString()!;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = new TokenError(TokenFailure.Malformed, "The token's payload is not a JSON object.");
                return false;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            error = new TokenError(TokenFailure.Malformed, "The token's payload is not valid JSON.");
            return false;
        }

        if (expires is null)
        {
            error = new TokenError(TokenFailure.Malformed, "The token has no \"exp\".");
            return false;
        }

        if (!string.Equals(tokenIssuer, issuer, StringComparison.Ordinal))
        {
            error = new TokenError(TokenFailure.WrongIssuer, tokenIssuer is null ? "The token has no \"iss\"." : "The token was issued by someone else.");
            return false;
        }

        double nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;
        double skew = clockSkew.TotalSeconds;
        if (nowSeconds >= expires.Value + skew)
        {
            error = new TokenError(TokenFailure.Expired, "The token has expired.");
            return false;
        }

        if (notBefore is not null && nowSeconds + skew < notBefore.Value)
        {
            error = new TokenError(TokenFailure.NotYetValid, "The token is not valid yet (\"nbf\").");
            return false;
        }

        error = default;
        return true;
    }

    private static bool TryReadNumericDate(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value) && double.IsFinite(value);
    }
}
