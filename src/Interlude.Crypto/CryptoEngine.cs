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
///
/// Arguments that can be checked when an operation is submitted (a null or foreign key, a key of the wrong kind
/// or without its private half, a destination too small, a nonce or tag of the wrong size) throw at once, and
/// nothing is submitted. What only the computation finds out (a <see cref="CryptographicException"/>, a tag that
/// does not match) fails that operation's task and nothing else. An operation cancelled before an engine thread
/// starts it is dropped; one already started runs to the end.
///
/// The engine also runs plain work functions submitted with <see cref="Accelerator.SubmitAsync{TState, TResult}"/>
/// on the same threads (the transport runs its TLS handshake steps that way).
/// </remarks>
public sealed class CryptoEngine : Accelerator
{
    private const int Sha256Size = 32;

    private readonly CryptoWorker[] _workers;
    private int _nextKeyId;

    // Incremented by each key's Dispose; each engine thread compares it with the count it last swept at.
    private volatile int _keyDisposals;

    /// <summary>Creates the engine and starts its threads.</summary>
    public CryptoEngine(CryptoEngineOptions? options = null)
        : base("crypto", options ??= new CryptoEngineOptions())
    {
        _workers = new CryptoWorker[options.Threads];
        for (int i = 0; i < _workers.Length; i++)
        {
            int? core = options.Cores is { } cores ? cores[i % cores.Count] : null;
            _workers[i] = new CryptoWorker(this, i, core, options.IdleSpin);
        }

        StartWorkers(_workers);
    }

    /// <summary>The engine's threads.</summary>
    public int ThreadCount => _workers.Length;

    internal int KeyDisposals => _keyDisposals;

    /// <summary>
    /// What each engine thread has done so far (operations completed and failed, work functions run, busy time),
    /// in thread order. Any thread; each value is read without stopping the thread, so a snapshot taken while
    /// operations run may be a few operations behind.
    /// </summary>
    public IReadOnlyList<CryptoEngineThreadStatistics> GetThreadStatistics()
    {
        var statistics = new CryptoEngineThreadStatistics[_workers.Length];
        for (int i = 0; i < statistics.Length; i++)
        {
            statistics[i] = _workers[i].Snapshot();
        }

        return statistics;
    }

    /// <summary>Imports an RSA key (private for sign and decrypt, public for verify).</summary>
    /// <remarks>A key whose private half cannot be exported is imported as its public half only.</remarks>
    public CryptoKey ImportRsa(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        RSAParameters parameters;
        bool hasPrivateKey;
        try
        {
            parameters = key.ExportParameters(includePrivateParameters: true);
            hasPrivateKey = parameters.D is not null;
        }
        catch (CryptographicException)
        {
            parameters = key.ExportParameters(includePrivateParameters: false);
            hasPrivateKey = false;
        }

        return new CryptoKey(this, NextKeyId(), CryptoKeyKind.Rsa, key.KeySize, hasPrivateKey, parameters);
    }

    /// <summary>Imports an ECDSA key (private for sign, public for verify).</summary>
    /// <remarks>A key whose private half cannot be exported is imported as its public half only.</remarks>
    public CryptoKey ImportECDsa(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        (ECParameters parameters, bool hasPrivateKey) = ExportEC(key);
        return new CryptoKey(this, NextKeyId(), CryptoKeyKind.ECDsa, key.KeySize, hasPrivateKey, parameters);
    }

    /// <summary>Imports an ECDH private key.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> has no (exportable) private key.</exception>
    public CryptoKey ImportECDiffieHellman(ECDiffieHellman key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        (ECParameters parameters, bool hasPrivateKey) = ExportEC(key);
        if (!hasPrivateKey)
        {
            throw new ArgumentException("An ECDH key must include its (exportable) private key to derive secrets.", nameof(key));
        }

        return new CryptoKey(this, NextKeyId(), CryptoKeyKind.ECDiffieHellman, key.KeySize, hasPrivateKey: true, parameters);
    }

    /// <summary>Imports an AES key (16, 24 or 32 bytes) for GCM with a tag of <paramref name="tagSizeInBytes"/>.</summary>
    /// <exception cref="ArgumentException">The key or tag size is not one AES-GCM supports (tags: 12 to 16 bytes).</exception>
    public CryptoKey ImportAesGcm(ReadOnlySpan<byte> key, int tagSizeInBytes = 16)
    {
        if (key.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"An AES key must be 16, 24 or 32 bytes long, not {key.Length}.", nameof(key));
        }

        if (!IsLegalSize(tagSizeInBytes, AesGcm.TagByteSizes))
        {
            throw new ArgumentOutOfRangeException(nameof(tagSizeInBytes), tagSizeInBytes, "An AES-GCM tag must be 12 to 16 bytes long.");
        }

        ThrowIfDisposed();
        return new CryptoKey(this, NextKeyId(), CryptoKeyKind.AesGcm, key.Length * 8, hasPrivateKey: true, key.ToArray(), tagSizeInBytes);
    }

    /// <summary>Imports an HMAC-SHA-256 key.</summary>
    public CryptoKey ImportHmacSha256(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return new CryptoKey(this, NextKeyId(), CryptoKeyKind.HmacSha256, key.Length * 8, hasPrivateKey: true, key.ToArray());
    }

    /// <summary>Signs <paramref name="hash"/> with an RSA key.</summary>
    public ValueTask<byte[]> SignHashAsync(CryptoKey key, ReadOnlyMemory<byte> hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding, CancellationToken cancellationToken = default)
    {
        CheckKey(key, CryptoKeyKind.Rsa, needsPrivateKey: true, "sign");
        ArgumentNullException.ThrowIfNull(padding);
        CheckRsaHash(hash, hashAlgorithm);
        var request = new CryptoRequest { Kind = CryptoOperationKind.RsaSign, Key = key, Input = hash, HashAlgorithm = hashAlgorithm, Parameter = padding };
        return SubmitRequestAsync<CryptoRequest, byte[]>(request, 0, cancellationToken);
    }

    /// <summary>Signs <paramref name="hash"/> with an ECDSA key (IEEE P1363 format, as <see cref="ECDsa.SignHash(byte[])"/>).</summary>
    public ValueTask<byte[]> SignHashAsync(CryptoKey key, ReadOnlyMemory<byte> hash, CancellationToken cancellationToken = default)
    {
        CheckKey(key, CryptoKeyKind.ECDsa, needsPrivateKey: true, "sign");
        CheckNotEmpty(hash, nameof(hash));
        var request = new CryptoRequest { Kind = CryptoOperationKind.ECDsaSign, Key = key, Input = hash };
        return SubmitRequestAsync<CryptoRequest, byte[]>(request, 0, cancellationToken);
    }

    /// <summary>Verifies an RSA signature of <paramref name="hash"/>.</summary>
    public ValueTask<bool> VerifyHashAsync(CryptoKey key, ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte> signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding, CancellationToken cancellationToken = default)
    {
        CheckKey(key, CryptoKeyKind.Rsa, needsPrivateKey: false, "verify");
        ArgumentNullException.ThrowIfNull(padding);
        CheckRsaHash(hash, hashAlgorithm);
        var request = new CryptoRequest { Kind = CryptoOperationKind.RsaVerify, Key = key, Input = hash, Input2 = signature, HashAlgorithm = hashAlgorithm, Parameter = padding };
        return SubmitRequestAsync<CryptoRequest, bool>(request, 0, cancellationToken);
    }

    /// <summary>Verifies an ECDSA signature (IEEE P1363 format) of <paramref name="hash"/>.</summary>
    public ValueTask<bool> VerifyHashAsync(CryptoKey key, ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken = default)
    {
        CheckKey(key, CryptoKeyKind.ECDsa, needsPrivateKey: false, "verify");
        CheckNotEmpty(hash, nameof(hash));
        var request = new CryptoRequest { Kind = CryptoOperationKind.ECDsaVerify, Key = key, Input = hash, Input2 = signature };
        return SubmitRequestAsync<CryptoRequest, bool>(request, 0, cancellationToken);
    }

    /// <summary>Decrypts <paramref name="data"/> with an RSA private key.</summary>
    public ValueTask<byte[]> DecryptAsync(CryptoKey key, ReadOnlyMemory<byte> data, RSAEncryptionPadding padding, CancellationToken cancellationToken = default)
    {
        CheckKey(key, CryptoKeyKind.Rsa, needsPrivateKey: true, "decrypt");
        ArgumentNullException.ThrowIfNull(padding);
        int modulusBytes = (key.KeySizeInBits + 7) / 8;
        if (data.Length != modulusBytes)
        {
            throw new ArgumentException($"RSA-{key.KeySizeInBits} ciphertext must be {modulusBytes} bytes long, not {data.Length}.", nameof(data));
        }

        var request = new CryptoRequest { Kind = CryptoOperationKind.RsaDecrypt, Key = key, Input = data, Parameter = padding };
        return SubmitRequestAsync<CryptoRequest, byte[]>(request, 0, cancellationToken);
    }

    /// <summary>Derives the raw shared secret of an ECDH key and another party's public key.</summary>
    /// <remarks>A public key on another curve fails the returned task (with the BCL's exception).</remarks>
    public ValueTask<byte[]> DeriveKeyAsync(CryptoKey key, ECDiffieHellmanPublicKey otherPartyPublicKey, CancellationToken cancellationToken = default)
    {
        CheckKey(key, CryptoKeyKind.ECDiffieHellman, needsPrivateKey: true, "derive");
        ArgumentNullException.ThrowIfNull(otherPartyPublicKey);
        var request = new CryptoRequest { Kind = CryptoOperationKind.ECDiffieHellmanDerive, Key = key, Parameter = otherPartyPublicKey };
        return SubmitRequestAsync<CryptoRequest, byte[]>(request, 0, cancellationToken);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (same length) and writes the tag.</summary>
    /// <exception cref="ArgumentException">The nonce is not 12 bytes, the lengths differ, or the tag is not the key's tag size.</exception>
    public ValueTask SealAsync(CryptoKey key, ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> plaintext, Memory<byte> ciphertext, Memory<byte> tag, ReadOnlyMemory<byte> associatedData = default, CancellationToken cancellationToken = default)
    {
        CheckKey(key, CryptoKeyKind.AesGcm, needsPrivateKey: false, "seal");
        CheckGcm(key, nonce, tag.Length, nameof(tag));
        if (ciphertext.Length != plaintext.Length)
        {
            throw new ArgumentException($"The ciphertext buffer must be exactly the plaintext's length ({plaintext.Length} bytes), not {ciphertext.Length}.", nameof(ciphertext));
        }

        var request = new CryptoRequest
        {
            Kind = CryptoOperationKind.AesGcmSeal,
            Key = key,
            Nonce = nonce,
            Input = plaintext,
            Output = ciphertext,
            Output2 = tag,
            AssociatedData = associatedData,
        };
        return ResultDiscarder.Discard(SubmitRequestAsync<CryptoRequest, int>(request, 0, cancellationToken));
    }

    /// <summary>Checks the tag and decrypts <paramref name="ciphertext"/> into <paramref name="plaintext"/>.</summary>
    /// <exception cref="AuthenticationTagMismatchException">The tag does not match (the task fails with it).</exception>
    /// <exception cref="ArgumentException">The nonce is not 12 bytes, the lengths differ, or the tag is not the key's tag size.</exception>
    public ValueTask OpenAsync(CryptoKey key, ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> ciphertext, ReadOnlyMemory<byte> tag, Memory<byte> plaintext, ReadOnlyMemory<byte> associatedData = default, CancellationToken cancellationToken = default)
    {
        CheckKey(key, CryptoKeyKind.AesGcm, needsPrivateKey: false, "open");
        CheckGcm(key, nonce, tag.Length, nameof(tag));
        if (plaintext.Length != ciphertext.Length)
        {
            throw new ArgumentException($"The plaintext buffer must be exactly the ciphertext's length ({ciphertext.Length} bytes), not {plaintext.Length}.", nameof(plaintext));
        }

        var request = new CryptoRequest
        {
            Kind = CryptoOperationKind.AesGcmOpen,
            Key = key,
            Nonce = nonce,
            Input = ciphertext,
            Input2 = tag,
            Output = plaintext,
            AssociatedData = associatedData,
        };
        return ResultDiscarder.Discard(SubmitRequestAsync<CryptoRequest, int>(request, 0, cancellationToken));
    }

    /// <summary>Writes the SHA-256 hash of <paramref name="source"/> into <paramref name="destination"/>; returns 32.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public ValueTask<int> HashDataAsync(ReadOnlyMemory<byte> source, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        CheckDigestDestination(destination.Length, "SHA-256 hash");
        var request = new CryptoRequest { Kind = CryptoOperationKind.Sha256, Input = source, Output = destination };
        return SubmitRequestAsync<CryptoRequest, int>(request, 0, cancellationToken);
    }

    /// <summary>Writes the HMAC-SHA-256 of <paramref name="source"/> into <paramref name="destination"/>; returns 32.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public ValueTask<int> HmacAsync(CryptoKey key, ReadOnlyMemory<byte> source, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        CheckKey(key, CryptoKeyKind.HmacSha256, needsPrivateKey: false, "compute an HMAC");
        CheckDigestDestination(destination.Length, "HMAC-SHA-256 tag");
        var request = new CryptoRequest { Kind = CryptoOperationKind.HmacSha256, Key = key, Input = source, Output = destination };
        return SubmitRequestAsync<CryptoRequest, int>(request, 0, cancellationToken);
    }

    /// <summary>A key was disposed: each engine thread frees its copy before its next operation.</summary>
    internal void OnKeyDisposed() => Interlocked.Increment(ref _keyDisposals);

    private static (ECParameters Parameters, bool HasPrivateKey) ExportEC(ECAlgorithm key)
    {
        try
        {
            ECParameters parameters = key.ExportParameters(includePrivateParameters: true);
            return (parameters, parameters.D is not null);
        }
        catch (CryptographicException)
        {
            return (key.ExportParameters(includePrivateParameters: false), false);
        }
    }

    private static bool IsLegalSize(int size, KeySizes sizes)
        => size >= sizes.MinSize && size <= sizes.MaxSize && (sizes.SkipSize == 0 ? size == sizes.MinSize : (size - sizes.MinSize) % sizes.SkipSize == 0);

    private static void CheckNotEmpty(ReadOnlyMemory<byte> buffer, string name)
    {
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("The hash must not be empty.", name);
        }
    }

    private static void CheckRsaHash(ReadOnlyMemory<byte> hash, HashAlgorithmName hashAlgorithm)
    {
        if (string.IsNullOrEmpty(hashAlgorithm.Name))
        {
            throw new ArgumentException("The hash algorithm must be named.", nameof(hashAlgorithm));
        }

        int expected = hashAlgorithm.Name switch
        {
            "MD5" => 16,
            "SHA1" => 20,
            "SHA256" or "SHA3_256" => 32,
            "SHA384" or "SHA3_384" => 48,
            "SHA512" or "SHA3_512" => 64,
            _ => -1,
        };
        if (expected >= 0 && hash.Length != expected)
        {
            throw new ArgumentException($"A {hashAlgorithm.Name} hash is {expected} bytes long, not {hash.Length}.", nameof(hash));
        }

        CheckNotEmpty(hash, nameof(hash));
    }

    private static void CheckGcm(CryptoKey key, ReadOnlyMemory<byte> nonce, int tagLength, string tagName)
    {
        if (!IsLegalSize(nonce.Length, AesGcm.NonceByteSizes))
        {
            throw new ArgumentException($"An AES-GCM nonce must be {AesGcm.NonceByteSizes.MinSize} bytes long, not {nonce.Length}.", nameof(nonce));
        }

        if (tagLength != key.TagSizeInBytes)
        {
            throw new ArgumentException($"The key {key} uses {key.TagSizeInBytes}-byte tags; the tag buffer is {tagLength} bytes long.", tagName);
        }
    }

    private static void CheckDigestDestination(int length, string what)
    {
        if (length < Sha256Size)
        {
            throw new ArgumentException($"The destination is too small for a {what} ({Sha256Size} bytes): it is {length} bytes long.", "destination");
        }
    }

    private void CheckKey(CryptoKey key, CryptoKeyKind kind, bool needsPrivateKey, string what)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!ReferenceEquals(key.Engine, this))
        {
            throw new ArgumentException($"The key {key} was imported into another engine; import it into this one.", nameof(key));
        }

        ObjectDisposedException.ThrowIf(key.IsDisposed, key);
        if (key.Kind != kind)
        {
            throw new ArgumentException($"Cannot {what} with the key {key}: that needs a key of kind {kind}.", nameof(key));
        }

        if (needsPrivateKey && !key.HasPrivateKey)
        {
            throw new ArgumentException($"Cannot {what} with the key {key}: it is a public key only.", nameof(key));
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    private int NextKeyId() => Interlocked.Increment(ref _nextKeyId);
}
