using System.Security.Cryptography;
using Interlude.Crypto.Tests.Infrastructure;
using Xunit;

namespace Interlude.Crypto.Tests;

/// <summary>Every operation against the BCL, submitted from a coroutine on a loop and from off any loop.</summary>
public sealed class OperationTests
{
    public static TheoryData<Caller, int, string> RsaSignatures
    {
        get
        {
            var data = new TheoryData<Caller, int, string>();
            foreach (Caller caller in Enum.GetValues<Caller>())
            {
                foreach (int bits in new[] { 2048, 3072 })
                {
                    foreach (string padding in new[] { "Pkcs1", "Pss" })
                    {
                        data.Add(caller, bits, padding);
                    }
                }
            }

            return data;
        }
    }

    public static TheoryData<Caller, int, string> RsaDecryptions
    {
        get
        {
            var data = new TheoryData<Caller, int, string>();
            foreach (Caller caller in Enum.GetValues<Caller>())
            {
                foreach (int bits in new[] { 2048, 3072 })
                {
                    foreach (string padding in new[] { "Pkcs1", "OaepSHA1", "OaepSHA256" })
                    {
                        data.Add(caller, bits, padding);
                    }
                }
            }

            return data;
        }
    }

    public static TheoryData<Caller, int> Curves
    {
        get
        {
            var data = new TheoryData<Caller, int>();
            foreach (Caller caller in Enum.GetValues<Caller>())
            {
                data.Add(caller, 256);
                data.Add(caller, 384);
            }

            return data;
        }
    }

    public static TheoryData<Caller> Callers => Infrastructure.Callers.All;

    [Theory, MemberData(nameof(RsaSignatures))]
    public async Task AnRsaSignatureMadeByTheEngineVerifiesWithTheBcl(Caller caller, int bits, string paddingName)
    {
        await using var rig = new CryptoRig();
        RSA rsa = TestKeys.Rsa(bits);
        RSASignaturePadding padding = TestKeys.SignaturePadding(paddingName);
        using CryptoKey key = rig.Engine.ImportRsa(rsa);
        Assert.Equal((CryptoKeyKind.Rsa, bits, true), (key.Kind, key.KeySizeInBits, key.HasPrivateKey));
        byte[] hash = SHA256.HashData("the engine signs this"u8);

        byte[] signature = await rig.RunAsync(caller, () => rig.Engine.SignHashAsync(key, hash, HashAlgorithmName.SHA256, padding));

        Assert.Equal(bits / 8, signature.Length);
        Assert.True(rsa.VerifyHash(hash, signature, HashAlgorithmName.SHA256, padding));
        Assert.Equal(1, rig.Engine.GetThreadStatistics()[0].OperationsCompleted);
    }

    [Theory, MemberData(nameof(RsaSignatures))]
    public async Task AnRsaSignatureMadeByTheBclVerifiesOnTheEngineWithAPublicKey(Caller caller, int bits, string paddingName)
    {
        await using var rig = new CryptoRig();
        RSA rsa = TestKeys.Rsa(bits);
        RSASignaturePadding padding = TestKeys.SignaturePadding(paddingName);
        using RSA publicOnly = TestKeys.PublicOnly(rsa);
        using CryptoKey key = rig.Engine.ImportRsa(publicOnly);
        Assert.False(key.HasPrivateKey);
        byte[] hash = SHA384.HashData("the BCL signs this"u8);
        byte[] signature = rsa.SignHash(hash, HashAlgorithmName.SHA384, padding);
        byte[] forged = (byte[])signature.Clone();
        forged[^1] ^= 0x40;

        (bool good, bool bad) = await rig.RunAsync(caller, async () => (
            await rig.Engine.VerifyHashAsync(key, hash, signature, HashAlgorithmName.SHA384, padding),
            await rig.Engine.VerifyHashAsync(key, hash, forged, HashAlgorithmName.SHA384, padding)));

        Assert.True(good);
        Assert.False(bad);
    }

    [Theory, MemberData(nameof(RsaDecryptions))]
    public async Task RsaCiphertextFromTheBclDecryptsOnTheEngine(Caller caller, int bits, string paddingName)
    {
        await using var rig = new CryptoRig();
        RSA rsa = TestKeys.Rsa(bits);
        RSAEncryptionPadding padding = TestKeys.EncryptionPadding(paddingName);
        using CryptoKey key = rig.Engine.ImportRsa(rsa);
        byte[] secret = RandomNumberGenerator.GetBytes(48);
        byte[] ciphertext = rsa.Encrypt(secret, padding);

        byte[] decrypted = await rig.RunAsync(caller, () => rig.Engine.DecryptAsync(key, ciphertext, padding));

        Assert.Equal(secret, decrypted);
    }

    [Theory, MemberData(nameof(Curves))]
    public async Task AnECDsaSignatureMadeByTheEngineVerifiesWithTheBcl(Caller caller, int bits)
    {
        await using var rig = new CryptoRig();
        using var ecdsa = ECDsa.Create(TestKeys.Curve(bits));
        using CryptoKey key = rig.Engine.ImportECDsa(ecdsa);
        Assert.Equal((CryptoKeyKind.ECDsa, bits, true), (key.Kind, key.KeySizeInBits, key.HasPrivateKey));
        byte[] hash = SHA256.HashData("an ECDSA message"u8);

        byte[] signature = await rig.RunAsync(caller, () => rig.Engine.SignHashAsync(key, hash));

        // IEEE P1363: r and s, each the field's size.
        Assert.Equal(2 * ((bits + 7) / 8), signature.Length);
        Assert.True(ecdsa.VerifyHash(hash, signature));
    }

    [Theory, MemberData(nameof(Curves))]
    public async Task AnECDsaSignatureMadeByTheBclVerifiesOnTheEngineWithAPublicKey(Caller caller, int bits)
    {
        await using var rig = new CryptoRig();
        using var ecdsa = ECDsa.Create(TestKeys.Curve(bits));
        using ECDsa publicOnly = TestKeys.PublicOnly(ecdsa);
        using CryptoKey key = rig.Engine.ImportECDsa(publicOnly);
        Assert.False(key.HasPrivateKey);
        byte[] hash = SHA256.HashData("another ECDSA message"u8);
        byte[] signature = ecdsa.SignHash(hash);
        byte[] forged = (byte[])signature.Clone();
        forged[3] ^= 1;

        (bool good, bool bad) = await rig.RunAsync(caller, async () => (
            await rig.Engine.VerifyHashAsync(key, hash, signature),
            await rig.Engine.VerifyHashAsync(key, hash, forged)));

        Assert.True(good);
        Assert.False(bad);
    }

    [Theory, MemberData(nameof(Curves))]
    public async Task AnECDHSecretDerivedOnTheEngineEqualsTheOtherPartys(Caller caller, int bits)
    {
        await using var rig = new CryptoRig();
        using var ours = ECDiffieHellman.Create(TestKeys.Curve(bits));
        using var theirs = ECDiffieHellman.Create(TestKeys.Curve(bits));
        using CryptoKey key = rig.Engine.ImportECDiffieHellman(ours);
        Assert.Equal((CryptoKeyKind.ECDiffieHellman, bits, true), (key.Kind, key.KeySizeInBits, key.HasPrivateKey));

        byte[] secret = await rig.RunAsync(caller, () => rig.Engine.DeriveKeyAsync(key, theirs.PublicKey));

        Assert.Equal(theirs.DeriveRawSecretAgreement(ours.PublicKey), secret);
        Assert.Equal(ours.DeriveRawSecretAgreement(theirs.PublicKey), secret);
    }

    [Theory]
    [InlineData(Caller.Loop, 16, 16)]
    [InlineData(Caller.Loop, 32, 16)]
    [InlineData(Caller.Loop, 24, 12)]
    [InlineData(Caller.OffLoop, 16, 16)]
    [InlineData(Caller.OffLoop, 32, 16)]
    [InlineData(Caller.OffLoop, 24, 12)]
    public async Task AesGcmSealedOnTheEngineOpensWithTheBclAndBack(Caller caller, int keyBytes, int tagBytes)
    {
        await using var rig = new CryptoRig();
        byte[] keyBytesValue = RandomNumberGenerator.GetBytes(keyBytes);
        using CryptoKey key = rig.Engine.ImportAesGcm(keyBytesValue, tagBytes);
        Assert.Equal((CryptoKeyKind.AesGcm, keyBytes * 8), (key.Kind, key.KeySizeInBits));
        using var bcl = new AesGcm(keyBytesValue, tagBytes);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        byte[] associated = "header"u8.ToArray();
        byte[] plaintext = RandomNumberGenerator.GetBytes(1000);
        byte[] ciphertext = new byte[plaintext.Length];
        byte[] tag = new byte[tagBytes];

        await rig.RunAsync(caller, () => rig.Engine.SealAsync(key, nonce, plaintext, ciphertext, tag, associated));

        byte[] opened = new byte[plaintext.Length];
        bcl.Decrypt(nonce, ciphertext, tag, opened, associated);
        Assert.Equal(plaintext, opened);

        // And the other way: the BCL seals, the engine opens (without associated data this time).
        byte[] bclCiphertext = new byte[plaintext.Length];
        byte[] bclTag = new byte[tagBytes];
        bcl.Encrypt(nonce, plaintext, bclCiphertext, bclTag);
        byte[] engineOpened = new byte[plaintext.Length];
        await rig.RunAsync(caller, () => rig.Engine.OpenAsync(key, nonce, bclCiphertext, bclTag, engineOpened));
        Assert.Equal(plaintext, engineOpened);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task AesGcmOfAnEmptyMessageIsOnlyATag(Caller caller)
    {
        await using var rig = new CryptoRig();
        byte[] keyBytes = RandomNumberGenerator.GetBytes(32);
        using CryptoKey key = rig.Engine.ImportAesGcm(keyBytes);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        byte[] tag = new byte[16];

        await rig.RunAsync(caller, async () =>
        {
            await rig.Engine.SealAsync(key, nonce, ReadOnlyMemory<byte>.Empty, Memory<byte>.Empty, tag, "only authenticated"u8.ToArray());
            await rig.Engine.OpenAsync(key, nonce, ReadOnlyMemory<byte>.Empty, tag, Memory<byte>.Empty, "only authenticated"u8.ToArray());
        });

        using var bcl = new AesGcm(keyBytes, 16);
        bcl.Decrypt(nonce, [], tag, [], "only authenticated"u8);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task ATamperedTagOrCiphertextFailsWithAuthenticationTagMismatch(Caller caller)
    {
        await using var rig = new CryptoRig();
        byte[] keyBytes = RandomNumberGenerator.GetBytes(32);
        using CryptoKey key = rig.Engine.ImportAesGcm(keyBytes);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        byte[] plaintext = "attack at dawn"u8.ToArray();
        byte[] ciphertext = new byte[plaintext.Length];
        byte[] tag = new byte[16];
        await rig.RunAsync(caller, () => rig.Engine.SealAsync(key, nonce, plaintext, ciphertext, tag));
        byte[] badTag = (byte[])tag.Clone();
        badTag[0] ^= 1;
        byte[] badCiphertext = (byte[])ciphertext.Clone();
        badCiphertext[^1] ^= 1;
        byte[] output = new byte[plaintext.Length];

        await Assert.ThrowsAsync<AuthenticationTagMismatchException>(
            () => rig.RunAsync(caller, () => rig.Engine.OpenAsync(key, nonce, ciphertext, badTag, output)));
        await Assert.ThrowsAsync<AuthenticationTagMismatchException>(
            () => rig.RunAsync(caller, () => rig.Engine.OpenAsync(key, nonce, badCiphertext, tag, output)));
        await Assert.ThrowsAsync<AuthenticationTagMismatchException>(
            () => rig.RunAsync(caller, () => rig.Engine.OpenAsync(key, nonce, ciphertext, tag, output, "unexpected header"u8.ToArray())));

        // The engine carries on: the untampered message still opens.
        await rig.RunAsync(caller, () => rig.Engine.OpenAsync(key, nonce, ciphertext, tag, output));
        Assert.Equal(plaintext, output);
        Assert.Equal(3, rig.Engine.GetThreadStatistics()[0].OperationsFailed);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task Sha256AndHmacEqualTheBcls(Caller caller)
    {
        await using var rig = new CryptoRig();
        byte[] hmacKey = RandomNumberGenerator.GetBytes(40);
        using CryptoKey key = rig.Engine.ImportHmacSha256(hmacKey);
        Assert.Equal((CryptoKeyKind.HmacSha256, 320), (key.Kind, key.KeySizeInBits));
        foreach (int length in new[] { 0, 1, 63, 64, 65, 4096, 100_000 })
        {
            byte[] data = RandomNumberGenerator.GetBytes(length);
            byte[] hash = new byte[40];
            byte[] mac = new byte[32];

            (int hashed, int maced) = await rig.RunAsync(caller, async () => (
                await rig.Engine.HashDataAsync(data, hash),
                await rig.Engine.HmacAsync(key, data, mac)));

            Assert.Equal((32, 32), (hashed, maced));
            Assert.Equal(SHA256.HashData(data), hash[..32]);
            Assert.Equal(new byte[8], hash[32..]);
            Assert.Equal(HMACSHA256.HashData(hmacKey, data), mac);
        }
    }
}
