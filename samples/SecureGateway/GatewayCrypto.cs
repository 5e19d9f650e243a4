using System.Security.Cryptography;
using Interlude.Crypto;

namespace SecureGateway;

/// <summary>
/// The four private-key operations the endpoints make, each one await: on a <see cref="CryptoEngine"/>'s cores
/// (<see cref="Engine"/>), or inline on the request's own thread with the BCL (<see cref="Inline"/>), so that the
/// same endpoints can be measured both ways. Buffers belong to the operation until its task completes.
/// </summary>
internal abstract class GatewayCrypto : IDisposable
{
    /// <summary>"engine" or "inline".</summary>
    public abstract string Mode { get; }

    public static GatewayCrypto Create(GatewayKeys keys, CryptoEngine? engine) => engine is null ? new Inline(keys) : new Engine(keys, engine);

    /// <summary>The ES256 signature (IEEE P1363, r || s, 64 bytes) of a SHA-256 hash.</summary>
    public abstract ValueTask<byte[]> SignHashAsync(ReadOnlyMemory<byte> hash, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="signature"/> (IEEE P1363) is the signing key's signature of the hash.</summary>
    public abstract ValueTask<bool> VerifyHashAsync(ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken);

    /// <summary>AES-256-GCM encryption with the encryption key.</summary>
    public abstract ValueTask SealAsync(ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> plaintext, Memory<byte> ciphertext, Memory<byte> tag, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken);

    /// <summary>AES-256-GCM decryption; fails with <see cref="AuthenticationTagMismatchException"/> on a bad tag.</summary>
    public abstract ValueTask OpenAsync(ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> ciphertext, ReadOnlyMemory<byte> tag, Memory<byte> plaintext, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken);

    public virtual void Dispose()
    {
    }

    /// <summary>Every operation is one await on the engine: the request's coroutine is suspended on its loop meanwhile.</summary>
    private sealed class Engine : GatewayCrypto
    {
        private readonly CryptoEngine _engine;
        private readonly CryptoKey _signingKey;
        private readonly CryptoKey _verificationKey;
        private readonly CryptoKey _encryptionKey;

        public Engine(GatewayKeys keys, CryptoEngine engine)
        {
            _engine = engine;
            _signingKey = engine.ImportECDsa(keys.SigningKey);
            // Verification imports the public half only: the engine never needs the private key for it.
            using (ECDsa publicKey = ECDsa.Create(keys.PublicKey))
            {
                _verificationKey = engine.ImportECDsa(publicKey);
            }

            _encryptionKey = engine.ImportAesGcm(keys.EncryptionKey, tagSizeInBytes: 16);
        }

        public override string Mode => "engine";

        public override ValueTask<byte[]> SignHashAsync(ReadOnlyMemory<byte> hash, CancellationToken cancellationToken)
            => _engine.SignHashAsync(_signingKey, hash, cancellationToken);

        public override ValueTask<bool> VerifyHashAsync(ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken)
            => _engine.VerifyHashAsync(_verificationKey, hash, signature, cancellationToken);

        public override ValueTask SealAsync(ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> plaintext, Memory<byte> ciphertext, Memory<byte> tag, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken)
            => _engine.SealAsync(_encryptionKey, nonce, plaintext, ciphertext, tag, associatedData, cancellationToken);

        public override ValueTask OpenAsync(ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> ciphertext, ReadOnlyMemory<byte> tag, Memory<byte> plaintext, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken)
            => _engine.OpenAsync(_encryptionKey, nonce, ciphertext, tag, plaintext, associatedData, cancellationToken);

        public override void Dispose()
        {
            _signingKey.Dispose();
            _verificationKey.Dispose();
            _encryptionKey.Dispose();
        }
    }

    /// <summary>
    /// The BCL on the calling thread, completing synchronously. Each thread gets its own key objects: an
    /// <see cref="AesGcm"/> (and, depending on the platform, an <see cref="ECDsa"/>) is not safe to use from two
    /// threads at once.
    /// </summary>
    private sealed class Inline : GatewayCrypto
    {
        private readonly ThreadLocal<ECDsa> _signingKey;
        private readonly ThreadLocal<ECDsa> _verificationKey;
        private readonly ThreadLocal<AesGcm> _encryptionKey;

        public Inline(GatewayKeys keys)
        {
            ECParameters privateKey = keys.SigningKey.ExportParameters(includePrivateParameters: true);
            ECParameters publicKey = keys.PublicKey;
            byte[] aesKey = keys.EncryptionKey.ToArray();
            _signingKey = new ThreadLocal<ECDsa>(() => ECDsa.Create(privateKey), trackAllValues: true);
            _verificationKey = new ThreadLocal<ECDsa>(() => ECDsa.Create(publicKey), trackAllValues: true);
            _encryptionKey = new ThreadLocal<AesGcm>(() => new AesGcm(aesKey, tagSizeInBytes: 16), trackAllValues: true);
        }

        public override string Mode => "inline";

        public override ValueTask<byte[]> SignHashAsync(ReadOnlyMemory<byte> hash, CancellationToken cancellationToken)
            => ValueTask.FromResult(_signingKey.Value!.SignHash(hash.Span, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        public override ValueTask<bool> VerifyHashAsync(ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken)
            => ValueTask.FromResult(_verificationKey.Value!.VerifyHash(hash.Span, signature.Span, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        public override ValueTask SealAsync(ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> plaintext, Memory<byte> ciphertext, Memory<byte> tag, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken)
        {
            _encryptionKey.Value!.Encrypt(nonce.Span, plaintext.Span, ciphertext.Span, tag.Span, associatedData.Span);
            return ValueTask.CompletedTask;
        }

        public override ValueTask OpenAsync(ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> ciphertext, ReadOnlyMemory<byte> tag, Memory<byte> plaintext, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken)
        {
            try
            {
                _encryptionKey.Value!.Decrypt(nonce.Span, ciphertext.Span, tag.Span, plaintext.Span, associatedData.Span);
                return ValueTask.CompletedTask;
            }
            catch (CryptographicException e)
            {
                return ValueTask.FromException(e);
            }
        }

        public override void Dispose()
        {
            foreach (ECDsa key in _signingKey.Values.Concat(_verificationKey.Values))
            {
                key.Dispose();
            }

            foreach (AesGcm key in _encryptionKey.Values)
            {
                key.Dispose();
            }

            _signingKey.Dispose();
            _verificationKey.Dispose();
            _encryptionKey.Dispose();
        }
    }
}
