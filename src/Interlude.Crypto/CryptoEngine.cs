using System.Security.Cryptography;

namespace Interlude.Crypto;

/// <summary>
/// A crypto engine on dedicated cores, standing in for a crypto accelerator: RSA, ECDSA, ECDH, AES-GCM, SHA-256 and
/// HMAC computed by System.Security.Cryptography on the engine's threads while the submitting coroutine is
/// suspended on its loop. Keys are imported once and referenced by <see cref="CryptoKey"/>.
/// </summary>
/// <remarks>
/// Buffers passed to an operation belong to the engine until the returned task completes: the caller must keep
/// them alive and unchanged until then, as with any asynchronous BCL call.
/// </remarks>
public sealed class CryptoEngine : Accelerator
{
    /// <summary>Creates the engine and starts its threads.</summary>
    public CryptoEngine(CryptoEngineOptions? options = null)
        : base("crypto", options ??= new CryptoEngineOptions())
    {
        throw new NotImplementedException();
    }

    /// <summary>Imports an RSA key (private for sign and decrypt, public for verify).</summary>
    public CryptoKey ImportRsa(RSA key) => throw new NotImplementedException();

    /// <summary>Imports an ECDSA key (private for sign, public for verify).</summary>
    public CryptoKey ImportECDsa(ECDsa key) => throw new NotImplementedException();

    /// <summary>Imports an ECDH private key.</summary>
    public CryptoKey ImportECDiffieHellman(ECDiffieHellman key) => throw new NotImplementedException();

    /// <summary>Imports an AES key (16, 24 or 32 bytes) for GCM with a tag of <paramref name="tagSizeInBytes"/>.</summary>
    public CryptoKey ImportAesGcm(ReadOnlySpan<byte> key, int tagSizeInBytes = 16) => throw new NotImplementedException();

    /// <summary>Imports an HMAC-SHA-256 key.</summary>
    public CryptoKey ImportHmacSha256(ReadOnlySpan<byte> key) => throw new NotImplementedException();

    /// <summary>Signs <paramref name="hash"/> with an RSA key.</summary>
    public ValueTask<byte[]> SignHashAsync(CryptoKey key, ReadOnlyMemory<byte> hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Signs <paramref name="hash"/> with an ECDSA key (IEEE P1363 format, as <see cref="ECDsa.SignHash(byte[])"/>).</summary>
    public ValueTask<byte[]> SignHashAsync(CryptoKey key, ReadOnlyMemory<byte> hash, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Verifies an RSA signature of <paramref name="hash"/>.</summary>
    public ValueTask<bool> VerifyHashAsync(CryptoKey key, ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte> signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Verifies an ECDSA signature (IEEE P1363 format) of <paramref name="hash"/>.</summary>
    public ValueTask<bool> VerifyHashAsync(CryptoKey key, ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Decrypts <paramref name="data"/> with an RSA private key.</summary>
    public ValueTask<byte[]> DecryptAsync(CryptoKey key, ReadOnlyMemory<byte> data, RSAEncryptionPadding padding, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Derives the raw shared secret of an ECDH key and another party's public key.</summary>
    public ValueTask<byte[]> DeriveKeyAsync(CryptoKey key, ECDiffieHellmanPublicKey otherPartyPublicKey, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (same length) and writes the tag.</summary>
    public ValueTask SealAsync(CryptoKey key, ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> plaintext, Memory<byte> ciphertext, Memory<byte> tag, ReadOnlyMemory<byte> associatedData = default, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Checks the tag and decrypts <paramref name="ciphertext"/> into <paramref name="plaintext"/>.</summary>
    /// <exception cref="AuthenticationTagMismatchException">The tag does not match (the task fails with it).</exception>
    public ValueTask OpenAsync(CryptoKey key, ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> ciphertext, ReadOnlyMemory<byte> tag, Memory<byte> plaintext, ReadOnlyMemory<byte> associatedData = default, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Writes the SHA-256 hash of <paramref name="source"/> into <paramref name="destination"/>; returns 32.</summary>
    public ValueTask<int> HashDataAsync(ReadOnlyMemory<byte> source, Memory<byte> destination, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Writes the HMAC-SHA-256 of <paramref name="source"/> into <paramref name="destination"/>; returns 32.</summary>
    public ValueTask<int> HmacAsync(CryptoKey key, ReadOnlyMemory<byte> source, Memory<byte> destination, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
