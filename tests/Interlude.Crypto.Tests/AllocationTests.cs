using System.Security.Cryptography;
using Interlude.Crypto.Tests.Infrastructure;
using Xunit;

namespace Interlude.Crypto.Tests;

/// <summary>Once warm, an operation submitted on a loop allocates nothing but the result its API returns.</summary>
public sealed class AllocationTests
{
    [Fact]
    public async Task SteadyStateSealOpenAndHmacAllocateNothingOnTheLoopOrTheEngineThread()
    {
        await using var rig = new CryptoRig();
        using CryptoKey aesKey = rig.Engine.ImportAesGcm(RandomNumberGenerator.GetBytes(32));
        using CryptoKey hmacKey = rig.Engine.ImportHmacSha256(RandomNumberGenerator.GetBytes(32));
        byte[] nonce = new byte[12];
        byte[] plaintext = new byte[256];
        byte[] ciphertext = new byte[256];
        byte[] opened = new byte[256];
        byte[] tag = new byte[16];
        byte[] mac = new byte[32];
        ReadOnlyMemory<byte> hash = SHA256.HashData(plaintext);

        (long loopBytes, long engineBytes) = await rig.OnLoopAsync(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                await rig.Engine.SealAsync(aesKey, nonce, plaintext, ciphertext, tag);
                await rig.Engine.OpenAsync(aesKey, nonce, ciphertext, tag, opened);
                await rig.Engine.HmacAsync(hmacKey, plaintext, mac);
                await rig.Engine.HashDataAsync(plaintext, mac);
            }

            long engineBefore = await rig.Engine.SubmitAsync(static _ => GC.GetAllocatedBytesForCurrentThread(), 0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                // Inline, not in a helper: a helper's own state machine would allocate each time it suspends.
                await rig.Engine.SealAsync(aesKey, nonce, plaintext, ciphertext, tag);
                await rig.Engine.OpenAsync(aesKey, nonce, ciphertext, tag, opened);
                await rig.Engine.HmacAsync(hmacKey, plaintext, mac);
                await rig.Engine.HashDataAsync(plaintext, mac);
            }

            long loop = GC.GetAllocatedBytesForCurrentThread() - before;
            long engineAfter = await rig.Engine.SubmitAsync(static _ => GC.GetAllocatedBytesForCurrentThread(), 0);
            return (loop, engineAfter - engineBefore);
        });

        Assert.Equal(plaintext, opened);
        Assert.Equal(0, loopBytes);
        Assert.Equal(0, engineBytes);
    }
}
