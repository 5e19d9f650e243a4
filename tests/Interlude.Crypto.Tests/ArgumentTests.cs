using System.Security.Cryptography;
using Interlude.Crypto.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Crypto.Tests;

/// <summary>Arguments checkable at submission throw there, with a message naming the problem, and submit nothing.</summary>
public sealed class ArgumentTests
{
    public static TheoryData<Caller> Callers => Infrastructure.Callers.All;

    [Theory, MemberData(nameof(Callers))]
    public async Task BadArgumentsThrowSynchronouslyAndSubmitNothing(Caller caller)
    {
        await using var rig = new CryptoRig();
        using CryptoEngine other = CryptoRig.CreateEngine();
        CryptoEngine engine = rig.Engine;
        RSA rsa = TestKeys.Rsa(2048);
        using CryptoKey rsaKey = engine.ImportRsa(rsa);
        using RSA rsaPublic = TestKeys.PublicOnly(rsa);
        using CryptoKey rsaPublicKey = engine.ImportRsa(rsaPublic);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using CryptoKey ecKey = engine.ImportECDsa(ecdsa);
        using ECDsa ecPublic = TestKeys.PublicOnly(ecdsa);
        using CryptoKey ecPublicKey = engine.ImportECDsa(ecPublic);
        using var ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using CryptoKey ecdhKey = engine.ImportECDiffieHellman(ecdh);
        using CryptoKey aesKey = engine.ImportAesGcm(new byte[16]);
        using CryptoKey hmacKey = engine.ImportHmacSha256("k"u8);
        using CryptoKey foreignKey = other.ImportECDsa(ecdsa);
        CryptoKey disposedKey = engine.ImportECDsa(ecdsa);
        disposedKey.Dispose();
        byte[] sha256 = new byte[32];
        byte[] nonce = new byte[12];
        byte[] data = new byte[20];
        var pkcs1 = RSASignaturePadding.Pkcs1;

        var cases = new (string Message, Type Exception, Action Call)[]
        {
            ("null", typeof(ArgumentNullException), () => _ = engine.SignHashAsync(null!, sha256)),
            ("another engine", typeof(ArgumentException), () => _ = engine.SignHashAsync(foreignKey, sha256)),
            ("disposed", typeof(ObjectDisposedException), () => _ = engine.SignHashAsync(disposedKey, sha256)),
            ("kind ECDsa", typeof(ArgumentException), () => _ = engine.SignHashAsync(rsaKey, sha256)),
            ("kind Rsa", typeof(ArgumentException), () => _ = engine.SignHashAsync(ecKey, sha256, HashAlgorithmName.SHA256, pkcs1)),
            ("kind AesGcm", typeof(ArgumentException), () => _ = engine.SealAsync(hmacKey, nonce, data, new byte[20], new byte[16])),
            ("kind HmacSha256", typeof(ArgumentException), () => _ = engine.HmacAsync(aesKey, data, sha256)),
            ("kind ECDiffieHellman", typeof(ArgumentException), () => _ = engine.DeriveKeyAsync(ecKey, ecdh.PublicKey)),
            ("public key only", typeof(ArgumentException), () => _ = engine.SignHashAsync(rsaPublicKey, sha256, HashAlgorithmName.SHA256, pkcs1)),
            ("public key only", typeof(ArgumentException), () => _ = engine.DecryptAsync(rsaPublicKey, new byte[256], RSAEncryptionPadding.OaepSHA256)),
            ("public key only", typeof(ArgumentException), () => _ = engine.SignHashAsync(ecPublicKey, sha256)),
            ("padding", typeof(ArgumentNullException), () => _ = engine.SignHashAsync(rsaKey, sha256, HashAlgorithmName.SHA256, null!)),
            ("SHA256 hash is 32 bytes", typeof(ArgumentException), () => _ = engine.SignHashAsync(rsaKey, new byte[20], HashAlgorithmName.SHA256, pkcs1)),
            ("SHA384 hash is 48 bytes", typeof(ArgumentException), () => _ = engine.VerifyHashAsync(rsaKey, sha256, new byte[256], HashAlgorithmName.SHA384, pkcs1)),
            ("named", typeof(ArgumentException), () => _ = engine.SignHashAsync(rsaKey, sha256, default, pkcs1)),
            ("must not be empty", typeof(ArgumentException), () => _ = engine.SignHashAsync(ecKey, ReadOnlyMemory<byte>.Empty)),
            ("256 bytes", typeof(ArgumentException), () => _ = engine.DecryptAsync(rsaKey, new byte[255], RSAEncryptionPadding.OaepSHA256)),
            ("otherPartyPublicKey", typeof(ArgumentNullException), () => _ = engine.DeriveKeyAsync(ecdhKey, null!)),
            ("nonce must be 12 bytes", typeof(ArgumentException), () => _ = engine.SealAsync(aesKey, new byte[8], data, new byte[20], new byte[16])),
            ("16-byte tags", typeof(ArgumentException), () => _ = engine.SealAsync(aesKey, nonce, data, new byte[20], new byte[12])),
            ("16-byte tags", typeof(ArgumentException), () => _ = engine.OpenAsync(aesKey, nonce, data, new byte[15], new byte[20])),
            ("exactly the plaintext's length", typeof(ArgumentException), () => _ = engine.SealAsync(aesKey, nonce, data, new byte[19], new byte[16])),
            ("exactly the ciphertext's length", typeof(ArgumentException), () => _ = engine.OpenAsync(aesKey, nonce, data, new byte[16], new byte[21])),
            ("too small", typeof(ArgumentException), () => _ = engine.HashDataAsync(data, new byte[31])),
            ("too small", typeof(ArgumentException), () => _ = engine.HmacAsync(hmacKey, data, new byte[16])),
        };

        await rig.RunAsync(caller, () =>
        {
            foreach ((string message, Type type, Action call) in cases)
            {
                Exception thrown = Assert.Throws(type, call);
                Assert.Contains(message, thrown.Message, StringComparison.Ordinal);
            }

            return ValueTask.CompletedTask;
        });

        // Nothing reached the engine (a good operation after them is its first), nor the loop's rings.
        byte[] signature = await rig.RunAsync(caller, () => engine.SignHashAsync(ecKey, sha256));
        Assert.True(ecdsa.VerifyHash(sha256, signature));
        Assert.Equal(1, engine.GetThreadStatistics()[0].OperationsCompleted);
        Assert.Equal(caller == Caller.Loop ? 1 : 0, rig.Group.GetStatistics()[0].OffloadsSubmitted);
    }

    [Fact]
    public void BadKeysAreRefusedAtImport()
    {
        using CryptoEngine engine = CryptoRig.CreateEngine();
        Assert.Throws<ArgumentNullException>(() => engine.ImportRsa(null!));
        Assert.Throws<ArgumentNullException>(() => engine.ImportECDsa(null!));
        Assert.Throws<ArgumentNullException>(() => engine.ImportECDiffieHellman(null!));
        Assert.Contains("16, 24 or 32", Assert.Throws<ArgumentException>("key", () => engine.ImportAesGcm(new byte[20])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("tagSizeInBytes", () => engine.ImportAesGcm(new byte[16], tagSizeInBytes: 8));
        Assert.Throws<ArgumentOutOfRangeException>("tagSizeInBytes", () => engine.ImportAesGcm(new byte[16], tagSizeInBytes: 17));

        using var ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var publicOnly = ECDiffieHellman.Create(ecdh.ExportParameters(false));
        Assert.Contains("private key", Assert.Throws<ArgumentException>("key", () => engine.ImportECDiffieHellman(publicOnly)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysAreNumberedAndDescribed()
    {
        using CryptoEngine engine = CryptoRig.CreateEngine();
        using CryptoKey first = engine.ImportAesGcm(new byte[32]);
        using CryptoKey second = engine.ImportRsa(TestKeys.Rsa(2048));
        Assert.Same(engine, first.Engine);
        Assert.True(second.Id > first.Id);
        Assert.Equal($"AesGcm-256 #{first.Id}", first.ToString());
        Assert.Equal($"Rsa-2048 #{second.Id}", second.ToString());
    }
}
