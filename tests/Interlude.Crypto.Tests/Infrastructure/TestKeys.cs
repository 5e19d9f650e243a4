using System.Security.Cryptography;

namespace Interlude.Crypto.Tests.Infrastructure;

/// <summary>Keys generated once per test run (RSA-3072 generation alone takes a noticeable fraction of a second).</summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> s_rsa2048 = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> s_rsa3072 = new(() => RSA.Create(3072));

    public static RSA Rsa(int bits) => bits switch
    {
        2048 => s_rsa2048.Value,
        3072 => s_rsa3072.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(bits)),
    };

    public static ECCurve Curve(int bits) => bits switch
    {
        256 => ECCurve.NamedCurves.nistP256,
        384 => ECCurve.NamedCurves.nistP384,
        _ => throw new ArgumentOutOfRangeException(nameof(bits)),
    };

    /// <summary>A public-only copy of <paramref name="key"/>.</summary>
    public static RSA PublicOnly(RSA key)
    {
        var copy = RSA.Create();
        copy.ImportParameters(key.ExportParameters(false));
        return copy;
    }

    /// <summary>A public-only copy of <paramref name="key"/>.</summary>
    public static ECDsa PublicOnly(ECDsa key) => ECDsa.Create(key.ExportParameters(false));

    public static RSASignaturePadding SignaturePadding(string name) => name switch
    {
        "Pkcs1" => RSASignaturePadding.Pkcs1,
        "Pss" => RSASignaturePadding.Pss,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static RSAEncryptionPadding EncryptionPadding(string name) => name switch
    {
        "Pkcs1" => RSAEncryptionPadding.Pkcs1,
        "OaepSHA1" => RSAEncryptionPadding.OaepSHA1,
        "OaepSHA256" => RSAEncryptionPadding.OaepSHA256,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
