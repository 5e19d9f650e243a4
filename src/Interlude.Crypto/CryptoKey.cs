using System.Security.Cryptography;

namespace Interlude.Crypto;

/// <summary>
/// A key imported once into a <see cref="CryptoEngine"/> and referenced by this handle in each operation, so that
/// an application's crypto call is one await and never re-parses key material.
/// </summary>
/// <remarks>
/// The engine keeps the key's exported parameters and builds one BCL key object per engine thread, on that
/// thread, the first time the thread uses the key (RSA, ECDsa, AesGcm and HMAC objects are not meant to be shared
/// between threads). <see cref="Dispose"/> removes the key: later submissions with it throw
/// <see cref="ObjectDisposedException"/>, operations already submitted that have not started fail with it, and
/// each engine thread frees its own copy before its next operation (or when the engine stops).
/// </remarks>
public sealed class CryptoKey : IDisposable
{
    // Written once (by Dispose, any thread); read by submitters and engine threads.
    private volatile bool _disposed;

    // The exported key: RSAParameters or ECParameters (boxed), or the AES / HMAC key bytes. Set to null by
    // Dispose; an engine thread that builds its copy reads it once and fails if it is gone.
    private volatile object? _material;

    // One key object per engine thread, indexed by the thread's index; slot i is written and read only by
    // engine thread i (which creates and disposes its own).
    private readonly IDisposable?[] _perThread;

    internal CryptoKey(CryptoEngine engine, int id, CryptoKeyKind kind, int keySizeInBits, bool hasPrivateKey, object material, int tagSizeInBytes = 0)
    {
        Engine = engine;
        Id = id;
        Kind = kind;
        KeySizeInBits = keySizeInBits;
        HasPrivateKey = hasPrivateKey;
        TagSizeInBytes = tagSizeInBytes;
        _material = material;
        _perThread = new IDisposable?[engine.ThreadCount];
    }

    /// <summary>The engine the key was imported into; it is valid only there.</summary>
    public CryptoEngine Engine { get; }

    /// <summary>The key's number within its engine, for logs.</summary>
    public int Id { get; }

    /// <summary>What the key holds.</summary>
    public CryptoKeyKind Kind { get; }

    /// <summary>The key's size in bits (the modulus, the curve's field, or the symmetric key).</summary>
    public int KeySizeInBits { get; }

    /// <summary>Whether the key can sign, decrypt or derive (false for an imported public key).</summary>
    public bool HasPrivateKey { get; }

    /// <summary>Whether <see cref="Dispose"/> has been called: the key takes no more operations.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>For an AES-GCM key, the tag size in bytes it seals with and expects when opening; otherwise 0.</summary>
    internal int TagSizeInBytes { get; }

    /// <summary>For tests, once the engine threads are idle or stopped: how many of them hold a copy of the key.</summary>
    internal int CopiesHeld => _perThread.Count(copy => copy is not null);

    /// <summary>
    /// Removes the key from its engine. Submissions with it throw <see cref="ObjectDisposedException"/>;
    /// operations submitted earlier that an engine thread has not started yet fail with it; one already running
    /// finishes. Each engine thread frees its copy of the key before its next operation. Idempotent, any thread.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _material = null;
        Engine.OnKeyDisposed();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind}-{KeySizeInBits} #{Id}";

    /// <summary>Engine thread <paramref name="thread"/>: its own key object, built from the exported parameters on first use.</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    internal T Get<T>(CryptoWorker thread)
        where T : class, IDisposable
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (T)(_perThread[thread.Index] ?? Create(thread));
    }

    /// <summary>Engine thread <paramref name="thread"/>: frees its copy if the key was disposed; returns whether it was.</summary>
    internal bool ReleaseIfDisposed(CryptoWorker thread)
    {
        if (!_disposed)
        {
            return false;
        }

        Release(thread);
        return true;
    }

    /// <summary>Engine thread <paramref name="thread"/>: frees its copy.</summary>
    internal void Release(CryptoWorker thread)
    {
        ref IDisposable? slot = ref _perThread[thread.Index];
        slot?.Dispose();
        slot = null;
    }

    private IDisposable Create(CryptoWorker thread)
    {
        object material = _material ?? throw new ObjectDisposedException(ToString());
        IDisposable instance = Kind switch
        {
            CryptoKeyKind.Rsa => RSA.Create((RSAParameters)material),
            CryptoKeyKind.ECDsa => ECDsa.Create((ECParameters)material),
            CryptoKeyKind.ECDiffieHellman => ECDiffieHellman.Create((ECParameters)material),
            CryptoKeyKind.AesGcm => new AesGcm((byte[])material, TagSizeInBytes),
            CryptoKeyKind.HmacSha256 => new HMACSHA256((byte[])material),
            _ => throw new InvalidOperationException($"Unknown key kind {Kind}."),
        };
        _perThread[thread.Index] = instance;
        thread.Adopt(this);
        return instance;
    }
}
