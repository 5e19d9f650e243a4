using System.Collections.Concurrent;
using System.Security.Cryptography;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class CpuAcceleratorTests
{
    private const int TagSize = 16;

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AesGcmSealedOnTheEngineOpensBackToThePlaintext(WaitStrategy strategy)
    {
        Assert.True(AesGcm.IsSupported, "AES-GCM is not available on this platform");
        await using var group = TestRig.CreateGroup(strategy, loops: 2);
        using var engine = new CpuAccelerator(new CpuAcceleratorOptions { Threads = 2, IdleSpin = TestRig.DeviceIdleSpin });
        byte[] key = RandomNumberGenerator.GetBytes(32);

        Task[] tasks = Enumerable.Range(0, 64)
            .Select(i => group.RunAsync(async () =>
            {
                Loop loop = Loop.Current!;
                byte[] plaintext = RandomNumberGenerator.GetBytes(64 + (i * 37));
                byte[] nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);

                Sealed box = await engine.SubmitAsync(static m => Seal(m.Key, m.Nonce, m.Plaintext), new Message(key, nonce, plaintext));
                Assert.Same(loop, Loop.Current);
                Assert.NotEqual(plaintext, box.Ciphertext);

                byte[] opened = await engine.SubmitAsync(static s => Open(s.Key, s.Box), (Key: key, Box: box));
                Assert.Same(loop, Loop.Current);
                Assert.Equal(plaintext, opened);
            }))
            .ToArray();

        await Task.WhenAll(tasks).Guarded();
        Assert.Equal(128, group.GetStatistics().Sum(s => s.OffloadsCompleted));
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ATamperedCiphertextFailsOnlyItsOwnCoroutine(WaitStrategy strategy)
    {
        await using var group = TestRig.CreateGroup(strategy);
        var faults = new ConcurrentQueue<LoopFaultEventArgs>();
        group.Faulted += (_, fault) => faults.Enqueue(fault);
        using var engine = new CpuAccelerator(new CpuAcceleratorOptions { IdleSpin = TestRig.DeviceIdleSpin });
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        Sealed good = Seal(key, nonce, "attack at dawn"u8.ToArray());
        byte[] flipped = (byte[])good.Ciphertext.Clone();
        flipped[0] ^= 1;
        var tampered = good with { Ciphertext = flipped };

        Task<byte[]> opened = group[0].RunAsync(async () => await engine.SubmitAsync(static s => Open(s.Key, s.Box), (Key: key, Box: good)));
        Task<byte[]> rejected = group[0].RunAsync(async () => await engine.SubmitAsync(static s => Open(s.Key, s.Box), (Key: key, Box: tampered)));

        Assert.Equal("attack at dawn"u8.ToArray(), await opened.Guarded());
        await Assert.ThrowsAsync<AuthenticationTagMismatchException>(() => rejected.Guarded());
        await Eventually.TrueAsync(() => !faults.IsEmpty, "the failed coroutine is reported");
        Assert.IsType<AuthenticationTagMismatchException>(Assert.Single(faults).Exception);
    }

    private static Sealed Seal(byte[] key, byte[] nonce, byte[] plaintext)
    {
        using var aes = new AesGcm(key, TagSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        aes.Encrypt(nonce, plaintext, ciphertext, tag);
        return new Sealed(nonce, ciphertext, tag);
    }

    private static byte[] Open(byte[] key, Sealed box)
    {
        using var aes = new AesGcm(key, TagSize);
        var plaintext = new byte[box.Ciphertext.Length];
        aes.Decrypt(box.Nonce, box.Ciphertext, box.Tag, plaintext);
        return plaintext;
    }

    private sealed record Message(byte[] Key, byte[] Nonce, byte[] Plaintext);

    private sealed record Sealed(byte[] Nonce, byte[] Ciphertext, byte[] Tag);
}
