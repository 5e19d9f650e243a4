using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using SecureGateway.Jose;

namespace SecureGateway;

/// <summary>
/// The gateway's key material: an ECDSA P-256 key that signs tokens (ES256) and an AES-256 key that seals
/// envelopes (A256GCM), each with a key id. Generated at start, or loaded from configuration.
/// </summary>
public sealed class GatewayKeys : IDisposable
{
    private readonly byte[] _encryptionKey;

    private GatewayKeys(ECDsa signingKey, string? signingKeyId, byte[] encryptionKey, string? encryptionKeyId)
    {
        ECParameters publicKey = signingKey.ExportParameters(includePrivateParameters: false);
        if (!IsP256(publicKey))
        {
            throw new ArgumentException("The signing key must be an ECDSA key on P-256 (ES256).", nameof(signingKey));
        }

        if (encryptionKey.Length != 32)
        {
            throw new ArgumentException("The encryption key must be 32 bytes (AES-256).", nameof(encryptionKey));
        }

        SigningKey = signingKey;
        PublicKey = publicKey;
        SigningKeyId = string.IsNullOrEmpty(signingKeyId) ? Thumbprint(publicKey) : signingKeyId;
        _encryptionKey = encryptionKey;
        EncryptionKeyId = string.IsNullOrEmpty(encryptionKeyId) ? "enc-" + Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(6)) : encryptionKeyId;
        Jwks = CreateJwks(publicKey, SigningKeyId);
    }

    /// <summary>The private signing key (ES256). The gateway never exposes it; tests and tools may use it.</summary>
    public ECDsa SigningKey { get; }

    /// <summary>The signing key's public half: the curve's P-256 point.</summary>
    public ECParameters PublicKey { get; }

    /// <summary>The signing key's id: the tokens' <c>kid</c> and the JWK's; by default its RFC 7638 thumbprint.</summary>
    public string SigningKeyId { get; }

    /// <summary>The encryption key's id, written into every sealed envelope.</summary>
    public string EncryptionKeyId { get; }

    /// <summary>The JSON Web Key Set (RFC 7517) served at <c>/.well-known/jwks.json</c>: the public signing key.</summary>
    public string Jwks { get; }

    /// <summary>The raw AES-256 key.</summary>
    internal ReadOnlySpan<byte> EncryptionKey => _encryptionKey;

    /// <summary>Generates a fresh P-256 signing key and AES-256 key, with key ids of their own.</summary>
    public static GatewayKeys Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null, RandomNumberGenerator.GetBytes(32), null);

    /// <summary>
    /// Uses the given keys. The gateway takes ownership of <paramref name="signingKey"/> (it is disposed with
    /// the keys); a null key id is derived (the signing key's thumbprint) or generated (the encryption key's).
    /// </summary>
    public static GatewayKeys Create(ECDsa signingKey, ReadOnlySpan<byte> encryptionKey, string? signingKeyId = null, string? encryptionKeyId = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        return new GatewayKeys(signingKey, signingKeyId, encryptionKey.ToArray(), encryptionKeyId);
    }

    /// <summary>
    /// Loads the keys from <paramref name="configuration"/> (the <c>Gateway</c> section): <c>SigningKey</c>, a PEM
    /// EC private key or the path of a file holding one; <c>EncryptionKey</c>, 32 bytes in base64;
    /// <c>SigningKeyId</c> and <c>EncryptionKeyId</c>. A key not configured is generated.
    /// </summary>
    public static GatewayKeys FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            string? pem = configuration["SigningKey"];
            if (!string.IsNullOrWhiteSpace(pem))
            {
                signingKey.ImportFromPem(pem.Contains("-----BEGIN", StringComparison.Ordinal) ? pem : File.ReadAllText(pem));
            }

            string? encryptionKey = configuration["EncryptionKey"];
            byte[] aesKey = string.IsNullOrWhiteSpace(encryptionKey) ? RandomNumberGenerator.GetBytes(32) : Convert.FromBase64String(encryptionKey);
            return new GatewayKeys(signingKey, configuration["SigningKeyId"], aesKey, configuration["EncryptionKeyId"]);
        }
        catch
        {
            signingKey.Dispose();
            throw;
        }
    }

    /// <summary>The public signing key as a JWK (RFC 7518, section 6.2) with its kid, alg ES256 and use sig.</summary>
    public string GetPublicJwk() => WriteJson(writer => WriteJwk(writer, PublicKey, SigningKeyId));

    /// <summary>Disposes the signing key.</summary>
    public void Dispose()
    {
        SigningKey.Dispose();
        CryptographicOperations.ZeroMemory(_encryptionKey);
    }

    private static bool IsP256(ECParameters key)
    {
        Oid oid = key.Curve.Oid;
        bool named = key.Curve.IsNamed
            && (oid.Value == "1.2.840.10045.3.1.7" || oid.FriendlyName is "nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1");
        return named && key.Q.X?.Length == 32 && key.Q.Y?.Length == 32;
    }

    // RFC 7638: the SHA-256 of the required members in lexicographic order, without whitespace.
    private static string Thumbprint(ECParameters key)
    {
        string json = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64UrlStrict.Encode(key.Q.X)}\",\"y\":\"{Base64UrlStrict.Encode(key.Q.Y)}\"}}";
        return Base64UrlStrict.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(json)));
    }

    private static string CreateJwks(ECParameters key, string keyId) => WriteJson(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("keys"u8);
        WriteJwk(writer, key, keyId);
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WriteJwk(Utf8JsonWriter writer, ECParameters key, string keyId)
    {
        writer.WriteStartObject();
        writer.WriteString("kty"u8, "EC"u8);
        writer.WriteString("crv"u8, "P-256"u8);
        writer.WriteString("x"u8, Base64UrlStrict.Encode(key.Q.X));
        writer.WriteString("y"u8, Base64UrlStrict.Encode(key.Q.Y));
        writer.WriteString("kid"u8, keyId);
        writer.WriteString("alg"u8, "ES256"u8);
        writer.WriteString("use"u8, "sig"u8);
        writer.WriteEndObject();
    }

    private static string WriteJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
