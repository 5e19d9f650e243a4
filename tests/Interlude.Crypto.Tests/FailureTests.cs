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
    public async Task ASealCancelledBeforeTheEngineStartsItIsDroppedAndTheBufferUntouched(Caller caller)
    {
        await using var rig = new CryptoRig();
        using CryptoKey key = rig.Engine.ImportAesGcm(RandomNumberGenerator.GetBytes(16));
        byte[] nonce = new byte[12];
        byte[] plaintext = RandomNumberGenerator.GetBytes(100);
        byte[] ciphertext = new byte[100];
        byte[] tag = new byte[16];
        using EngineGate gate = await EngineGate.HoldAsync(rig.Engine);
        using var cts = new CancellationTokenSource();
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task sealing = rig.RunAsync(caller, async () =>
        {
            ValueTask pending = rig.Engine.SealAsync(key, nonce, plaintext, ciphertext, tag, cancellationToken: cts.Token);
            submitted.SetResult();
            await pending;
        });
        await submitted.Task.Guarded();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sealing);
        await gate.OpenAsync();

        // Once the engine has moved on past it, the cancelled seal has still written nothing.
        await rig.RunAsync(caller, () => rig.Engine.SubmitAsync(static _ => 0, 0));
        Assert.Equal(new byte[100], ciphertext);
        Assert.Equal(new byte[16], tag);
        Assert.Equal(2, rig.Engine.GetThreadStatistics()[0].WorkFunctionsRun);
        Assert.Equal(2, rig.Engine.GetThreadStatistics()[0].OperationsCompleted);
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
        // Each submitter queues signatures, a work function that holds its engine thread until the engine is being
        // disposed, then more signatures: those before the hold are signed, those after it fail.
        const int Before = 20;
        const int After = 30;
        int submitters = caller == Caller.Loop ? 2 : 1;
        var group = new LoopGroup(new LoopGroupOptions { LoopCount = 2, PinThreads = false, StallThreshold = TimeSpan.Zero });
        await using var _ = group;
        CryptoEngine engine = CryptoRig.CreateEngine(threads: submitters);
        RSA rsa = TestKeys.Rsa(2048);
        CryptoKey key = engine.ImportRsa(rsa);
        byte[] hash = SHA256.HashData("in flight at disposal"u8);
        using var open = new ManualResetEventSlim();
        using var holding = new CountdownEvent(submitters);

        Func<ValueTask<(Task<byte[]>[] Signatures, Task Hold)>> submit = () =>
        {
            Func<int, Task<byte[]>> sign = _ => engine.SignHashAsync(key, hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).AsTask();
            Task<byte[]>[] before = [.. Enumerable.Range(0, Before).Select(sign)];
            Task hold = engine.SubmitAsync(
                static s =>
                {
                    s.holding.Signal();
                    s.open.Wait();
                    return 0;
                },
                (holding, open)).AsTask();
            Task<byte[]>[] after = [.. Enumerable.Range(0, After).Select(sign)];
            return ValueTask.FromResult<(Task<byte[]>[], Task)>(([.. before, .. after], hold));
        };
        (Task<byte[]>[] Signatures, Task Hold)[] submitted = caller == Caller.Loop
            ? await Task.WhenAll(group[0].RunAsync(submit), group[1].RunAsync(submit)).Guarded()
            : [await Task.Run(async () => await submit()).Guarded()];
        Assert.True(holding.Wait(Timeouts.Generous), "every engine thread is held");

        Task disposing = Task.Run(engine.Dispose);
        await Eventually.TrueAsync(() => engine.IsDisposed, "the engine is being disposed");
        open.Set();
        await disposing.Guarded();

        foreach ((Task<byte[]>[] signatures, Task hold) in submitted)
        {
            await hold.Guarded();
            for (int i = 0; i < signatures.Length; i++)
            {
                if (i < Before)
                {
                    Assert.True(rsa.VerifyHash(hash, await signatures[i].Guarded(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
                }
                else
                {
                    await Assert.ThrowsAsync<ObjectDisposedException>(() => signatures[i].Guarded());
                }
            }
        }

        IReadOnlyList<CryptoEngineThreadStatistics> threads = engine.GetThreadStatistics();
        Assert.Equal(submitters * Before, threads.Sum(t => t.OperationsCompleted - t.OperationsFailed - t.WorkFunctionsRun));
        Assert.Equal(0, key.CopiesHeld);

        // A disposed engine takes no more operations (the task fails) and imports no more keys (it throws).
        await Assert.ThrowsAsync<ObjectDisposedException>(() => engine.SignHashAsync(key, hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).AsTask());
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
