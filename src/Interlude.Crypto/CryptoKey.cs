namespace Interlude.Crypto;

/// <summary>
/// A key imported once into a <see cref="CryptoEngine"/> and referenced by this handle in each operation, so that
/// an application's crypto call is one await and never re-parses key material.
/// </summary>
public sealed class CryptoKey
{
    internal CryptoKey(CryptoEngine engine, int id, CryptoKeyKind kind, int keySizeInBits, bool hasPrivateKey)
    {
        Engine = engine;
        Id = id;
        Kind = kind;
        KeySizeInBits = keySizeInBits;
        HasPrivateKey = hasPrivateKey;
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

    /// <inheritdoc/>
    public override string ToString() => $"{Kind}-{KeySizeInBits} #{Id}";
}
