namespace Interlude.Crypto;

/// <summary>What a <see cref="CryptoKey"/> holds, and so which operations accept it.</summary>
public enum CryptoKeyKind
{
    /// <summary>An RSA key: sign, verify, decrypt (a public-only key: verify).</summary>
    Rsa,

    /// <summary>An ECDSA key: sign, verify (a public-only key: verify).</summary>
    ECDsa,

    /// <summary>An ECDH private key: derive a shared secret with another party's public key.</summary>
    ECDiffieHellman,

    /// <summary>An AES key for GCM: seal and open.</summary>
    AesGcm,

    /// <summary>An HMAC-SHA-256 key: compute a tag.</summary>
    HmacSha256,
}
