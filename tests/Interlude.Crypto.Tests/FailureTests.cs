using System.Security.Cryptography;
using Interlude.Crypto.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Crypto.Tests;

/// <summary>A failed operation fails only its caller; cancelled ones are dropped; disposal leaves nobody waiting.</summary>
public sealed class FailureTests
{
    public static TheoryData<Caller> Callers => Infrastructure.Callers.All;

    [Fact]
    public async Task ErrorsReachOnlyTheFailingCallersWhileConcurrentGoodOperationsSucceed()
    {
        await using var rig = new CryptoRig(loops: 2, threads: 2);
        var faults = new List<LoopFaultEventArgs>();
        rig.Group.Faulted += (_, fault) => { lock (faults) { faults.Add(fault); } };
        RSA rsa = TestKeys.Rsa(2048);
        using CryptoKey rsaKey = rig.Engine.ImportRsa(rsa);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using CryptoKey ecKey = rig.Engine.ImportECDsa(ecdsa);
        using var ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using CryptoKey ecdhKey = rig.Engine.ImportECDiffieHellman(ecdh);
        using var otherCurve = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);
        using CryptoKey aesKey = rig.Engine.ImportAesGcm(RandomNumberGenerator.GetBytes(16));
        byte[] hash = SHA256.HashData("good"u8);
        byte[] garbage = RandomNumberGenerator.GetBytes(256);
        garbage[0] = 0; // below the modulus, so only the padding check fails

        Task<object>[] calls = Enumerable.Range(0, 200).Select(i => rig.Group[i % 2].RunAsync(async () =>
        {
            try
            {
                switch (i % 5)
                {
                    case 0:
                        return (object)(ecdsa.VerifyHash(hash, await rig.Engine.SignHashAsync(ecKey, hash)) ? "signed" : "bad signature");
                    case 1:
                        await rig.Engine.DecryptAsync(rsaKey, garbage, RSAEncryptionPadding.OaepSHA256);
                        return "decrypted garbage";
                    case 2:
                        byte[] output = new byte[10];
                        await rig.Engine.OpenAsync(aesKey, new byte[12], new byte[10], new byte[16], output);
                        return "opened garbage";
                    case 3:
                        await rig.Engine.DeriveKeyAsync(ecdhKey, otherCurve.PublicKey);
                        return "derived across curves";
                    default:
                        return await rig.Engine.SubmitAsync<int, int>(static _ => throw new InvalidDataException("step"), 0);
                }
            }
            catch (Exception ex)
            {
                return ex;
            }
        })).ToArray();

        object[] outcomes = await Task.WhenAll(calls).Guarded();

        for (int i = 0; i < outcomes.Length; i++)
        {
            Type expected = (i % 5) switch
            {
                0 => typeof(string),
                1 => typeof(CryptographicException),
                2 => typeof(AuthenticationTagMismatchException),
                3 => outcomes[i] is ArgumentException ? typeof(ArgumentException) : typeof(CryptographicException),
                _ => typeof(InvalidDataException),
            };
            Assert.IsAssignableFrom(expected, outcomes[i]);
            if (i % 5 == 0)
            {
                Assert.Equal("signed", outcomes[i]);
            }
        }

        Assert.Empty(faults);
        IReadOnlyList<CryptoEngineThreadStatistics> threads = rig.Engine.GetThreadStatistics();
        Assert.Equal(200, threads.Sum(t => t.OperationsCompleted));
        Assert.Equal(120, threads.Sum(t => t.OperationsFailed));
        Assert.Equal(40, threads.Sum(t => t.WorkFunctionsRun));
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task AnOperationCancelledBeforeTheEngineStartsItIsDropped(Caller caller)
    {
        await using var rig = new CryptoRig();
        using CryptoKey key = rig.Engine.ImportRsa(TestKeys.Rsa(2048));
        byte[] hash = SHA256.HashData("never signed"u8);
        using EngineGate gate = await EngineGate.HoldAsync(rig.Engine);
        using var cts = new CancellationTokenSource();
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<byte[]> signing = rig.RunAsync(caller, async () =>
        {
            ValueTask<byte[]> pending = rig.Engine.SignHashAsync(key, hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pss, cts.Token);
            submitted.SetResult();
            return await pending;
        });
        await submitted.Task.Guarded();
        cts.Cancel();

        // The caller learns at once, while the engine thread is still held.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signing);
        Assert.False(gate.Released.IsCompleted);

        await gate.OpenAsync();
        byte[] next = await rig.RunAsync(caller, () => rig.Engine.SignHashAsync(key, hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.True(TestKeys.Rsa(2048).VerifyHash(hash, next, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        // The gate and the next signature ran; the cancelled signature never did.
        CryptoEngineThreadStatistics thread = rig.Engine.GetThreadStatistics()[0];
        Assert.Equal((2L, 1L, 0L), (thread.OperationsCompleted, thread.WorkFunctionsRun, thread.OperationsFailed));
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task AnAlreadyCancelledTokenFailsWithoutReachingTheEngine(Caller caller)
    {
        await using var rig = new CryptoRig();
        using CryptoKey key = rig.Engine.ImportHmacSha256("k"u8);
        byte[] mac = new byte[32];

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => rig.RunAsync(caller, () => rig.Engine.HmacAsync(key, "data"u8.ToArray(), mac, new CancellationToken(canceled: true))));

        Assert.Equal(0, rig.Engine.GetThreadStatistics()[0].OperationsCompleted);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task DisposingTheEngineWithOperationsInFlightCompletesOrFailsEachOne(Caller caller)
    {
        var group = new LoopGroup(new LoopGroupOptions { LoopCount = 2, PinThreads = false, StallThreshold = TimeSpan.Zero });
        await using var _ = group;
        CryptoEngine engine = CryptoRig.CreateEngine(threads: 2);
        RSA rsa = TestKeys.Rsa(3072);
        CryptoKey key = engine.ImportRsa(rsa);
        byte[] hash = SHA256.HashData("in flight at disposal"u8);

        Func<ValueTask<byte[]>> sign = () => engine.SignHashAsync(key, hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Task<byte[]>[] calls = Enumerable.Range(0, 600)
            .Select(i => caller == Caller.Loop ? group[i % 2].RunAsync(sign) : Task.Run(async () => await sign()))
            .ToArray();
        await Eventually.TrueAsync(() => engine.GetThreadStatistics().Sum(t => t.OperationsCompleted) >= 10, "some signatures are done");

        engine.Dispose();

        int signed = 0;
        int failed = 0;
        foreach (Task<byte[]> call in calls)
        {
            try
            {
                byte[] signature = await call.Guarded();
                Assert.True(rsa.VerifyHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
                signed++;
            }
            catch (ObjectDisposedException)
            {
                failed++;
            }
        }

        Assert.True(signed >= 10, $"{signed} signed");
        Assert.True(failed > 0, "the engine was disposed with signatures still queued");
        Assert.Equal(600, signed + failed);
        Assert.Equal(0, key.CopiesHeld);

        // A disposed engine takes no more operations (the task fails) and imports no more keys (it throws).
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sign().AsTask());
        Assert.Throws<ObjectDisposedException>(() => engine.ImportHmacSha256("k"u8));
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task ADisposedKeyFailsWhatWasQueuedWithItAndIsFreedOnTheEngineThread(Caller caller)
    {
        await using var rig = new CryptoRig();
        using CryptoKey key = rig.Engine.ImportAesGcm(RandomNumberGenerator.GetBytes(32));
        byte[] nonce = new byte[12];
        byte[] plaintext = new byte[64];
        byte[] ciphertext = new byte[64];
        byte[] tag = new byte[16];
        await rig.RunAsync(caller, () => rig.Engine.SealAsync(key, nonce, plaintext, ciphertext, tag));
        Assert.Equal(1, key.CopiesHeld);

        Task queued;
        using (EngineGate gate = await EngineGate.HoldAsync(rig.Engine))
        {
            var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            queued = rig.RunAsync(caller, async () =>
            {
                ValueTask pending = rig.Engine.SealAsync(key, nonce, plaintext, ciphertext, tag);
                submitted.SetResult();
                await pending;
            });
            await submitted.Task.Guarded();
            key.Dispose();
            await gate.OpenAsync();
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued);
        Assert.True(key.IsDisposed);
        Assert.Equal(0, key.CopiesHeld);
        Assert.Throws<ObjectDisposedException>(() => { _ = rig.Engine.SealAsync(key, nonce, plaintext, ciphertext, tag); });
        key.Dispose();
    }
}
