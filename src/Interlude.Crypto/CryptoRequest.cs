using System.Security.Cryptography;

namespace Interlude.Crypto;

/// <summary>What a <see cref="CryptoRequest"/> asks the engine to do.</summary>
internal enum CryptoOperationKind : byte
{
    RsaSign,
    RsaVerify,
    RsaDecrypt,
    ECDsaSign,
    ECDsaVerify,
    ECDiffieHellmanDerive,
    AesGcmSeal,
    AesGcmOpen,
    Sha256,
    HmacSha256,
}

/// <summary>
/// One crypto operation as the engine thread reads it: the operation, its key and its buffers. It travels by
/// value inside the pooled offload operation, so submitting one allocates nothing.
/// </summary>
/// <remarks>
/// The buffers' meaning depends on <see cref="Kind"/>: <see cref="Input"/> is the hash, the data, the plaintext
/// (seal), the ciphertext (open) or the source; <see cref="Input2"/> the signature (verify) or the tag (open);
/// <see cref="Nonce"/> and <see cref="AssociatedData"/> are AES-GCM's; <see cref="Output"/> the ciphertext
/// (seal), the plaintext (open) or the digest; <see cref="Output2"/> the tag (seal). <see cref="Parameter"/> is
/// the RSA padding or the other party's ECDH public key.
/// </remarks>
internal struct CryptoRequest
{
    internal CryptoOperationKind Kind;
    internal CryptoKey? Key;
    internal ReadOnlyMemory<byte> Input;
    internal ReadOnlyMemory<byte> Input2;
    internal ReadOnlyMemory<byte> Nonce;
    internal ReadOnlyMemory<byte> AssociatedData;
    internal Memory<byte> Output;
    internal Memory<byte> Output2;
    internal HashAlgorithmName HashAlgorithm;
    internal object? Parameter;
}
