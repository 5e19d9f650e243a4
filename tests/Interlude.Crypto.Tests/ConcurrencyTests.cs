using System.Security.Cryptography;
using Interlude.Crypto.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Crypto.Tests;

/// <summary>Many operations in flight at once, from several loops and from off any loop, all complete correctly.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task AThousandOperationsInFlightFromSeveralLoopsAllCompleteCorrectly()
    {
        await using var rig = new CryptoRig(loops: 4, threads: 2);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using CryptoKey ecKey = rig.Engine.ImportECDsa(ecdsa);
        byte[] aesKeyBytes = RandomNumberGenerator.GetBytes(32);
        using CryptoKey aesKey = rig.Engine.ImportAesGcm(aesKeyBytes);
        byte[] hmacKeyBytes = RandomNumberGenerator.GetBytes(32);
        using CryptoKey hmacKey = rig.Engine.ImportHmacSha256(hmacKeyBytes);
        const int PerLoop = 250;

        // Each loop starts all of its operations before awaiting any, so hundreds are in flight at once.
        Task<bool>[] loops = Enumerable.Range(0, 4).Select(l => rig.Group[l].RunAsync(async () =>
        {
            Loop loop = Loop.Current!;
            var pending = new List<(int Kind, ValueTask Done, ValueTask<byte[]> Signed, byte[] Input, byte[] Output, byte[] Tag)>();
            for (int i = 0; i < PerLoop; i++)
            {
                byte[] input = RandomNumberGenerator.GetBytes(16 + i);
                switch (i % 3)
                {
                    case 0:
                        byte[] hash = SHA256.HashData(input);
                        pending.Add((0, default, rig.Engine.SignHashAsync(ecKey, hash), hash, [], []));
                        break;
                    case 1:
                        byte[] ciphertext = new byte[input.Length];
                        byte[] tag = new byte[16];
                        byte[] nonce = new byte[12];
                        BitConverter.TryWriteBytes(nonce, (l * PerLoop) + i);
                        pending.Add((1, rig.Engine.SealAsync(aesKey, nonce, input, ciphertext, tag), default, input, ciphertext, tag));
                        break;
                    default:
                        byte[] mac = new byte[32];
                        pending.Add((2, HmacDone(rig.Engine.HmacAsync(hmacKey, input, mac)), default, input, mac, []));
                        break;
                }
            }

            using var aes = new AesGcm(aesKeyBytes, 16);
            for (int i = 0; i < pending.Count; i++)
            {
                (int kind, ValueTask done, ValueTask<byte[]> signed, byte[] input, byte[] output, byte[] tag) = pending[i];
                switch (kind)
                {
                    case 0:
                        Assert.True(ecdsa.VerifyHash(input, await signed));
                        break;
                    case 1:
                        await done;
                        byte[] nonce = new byte[12];
                        BitConverter.TryWriteBytes(nonce, (l * PerLoop) + i);
                        byte[] opened = new byte[input.Length];
                        aes.Decrypt(nonce, output, tag, opened);
                        Assert.Equal(input, opened);
                        break;
                    default:
                        await done;
                        Assert.Equal(HMACSHA256.HashData(hmacKeyBytes, input), output);
                        break;
                }

                Assert.Same(loop, Loop.Current);
            }

            return true;
        })).ToArray();

        Assert.All(await Task.WhenAll(loops).Guarded(), Assert.True);
        IReadOnlyList<CryptoEngineThreadStatistics> threads = rig.Engine.GetThreadStatistics();
        Assert.Equal(4 * PerLoop, threads.Sum(t => t.OperationsCompleted));
        Assert.All(threads, t => Assert.Equal(2 * PerLoop, t.OperationsCompleted));
        Assert.Equal(0, threads.Sum(t => t.OperationsFailed));
        Assert.Equal(4 * PerLoop, rig.Group.GetStatistics().Sum(s => s.OffloadsCompleted));
    }

    [Fact]
    public async Task ManyOperationsFromOffLoopThreadsAllCompleteCorrectly()
    {
        // A ring smaller than the burst: the off-loop submissions beyond it wait for a slot.
        using CryptoEngine engine = CryptoRig.CreateEngine(threads: 2, configure: o => o.RingCapacity = 64);
        byte[] hmacKeyBytes = RandomNumberGenerator.GetBytes(32);
        using CryptoKey key = engine.ImportHmacSha256(hmacKeyBytes);

        Task[] calls = Enumerable.Range(0, 500).Select(i => Task.Run(async () =>
        {
            byte[] input = BitConverter.GetBytes(i);
            byte[] mac = new byte[32];
            Assert.Equal(32, await engine.HmacAsync(key, input, mac));
            Assert.Equal(HMACSHA256.HashData(hmacKeyBytes, input), mac);
        })).ToArray();

        await Task.WhenAll(calls).Guarded();
        Assert.Equal(500, engine.GetThreadStatistics().Sum(t => t.OperationsCompleted));
    }

    private static async ValueTask HmacDone(ValueTask<int> mac) => Assert.Equal(32, await mac);
}
