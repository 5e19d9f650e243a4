using System.Security.Cryptography;
using Interlude.Crypto.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Crypto.Tests;

/// <summary>The work runs on the engine's threads, each with its own copy of a key, and they count what they did.</summary>
public sealed class EngineThreadTests
{
    public static TheoryData<Caller> Callers => Infrastructure.Callers.All;

    [Theory, MemberData(nameof(Callers))]
    public async Task AWorkFunctionRunsOnTheEngineThread(Caller caller)
    {
        await using var rig = new CryptoRig();
        (int id, string? name) = await rig.RunAsync(
            caller,
            () => rig.Engine.SubmitAsync(static _ => (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name), 0));

        CryptoEngineThreadStatistics thread = Assert.Single(rig.Engine.GetThreadStatistics());
        Assert.Equal(thread.ManagedThreadId, id);
        Assert.NotEqual(Environment.CurrentManagedThreadId, id);
        Assert.Equal("interlude-crypto-0", name);
        Assert.Equal((1L, 1L, 0L), (thread.OperationsCompleted, thread.WorkFunctionsRun, thread.OperationsFailed));
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task AWorkFunctionsExceptionReachesItsCallerAndTheEngineCarriesOn(Caller caller)
    {
        await using var rig = new CryptoRig();
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.RunAsync(
            caller,
            () => rig.Engine.SubmitAsync<int, int>(static _ => throw new InvalidOperationException("handshake step failed"), 0)));

        Assert.Equal(42, await rig.RunAsync(caller, () => rig.Engine.SubmitAsync(static x => x * 2, 21)));
        Assert.Equal(2, rig.Engine.GetThreadStatistics()[0].WorkFunctionsRun);
    }

    [Fact]
    public async Task EachLoopsOperationsRunOnItsEngineThreadWithThatThreadsOwnKeyCopy()
    {
        await using var rig = new CryptoRig(loops: 2, threads: 2);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using CryptoKey key = rig.Engine.ImportECDsa(ecdsa);
        byte[] hash = SHA256.HashData("two threads, one key"u8);

        // Each loop's channel is served by one engine thread; the two loops get different ones.
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => rig.Group[i].RunAsync(async () =>
        {
            int thread = await rig.Engine.SubmitAsync(static _ => Environment.CurrentManagedThreadId, 0);
            var signatures = new List<byte[]>();
            for (int n = 0; n < 20; n++)
            {
                signatures.Add(await rig.Engine.SignHashAsync(key, hash));
            }

            return (thread, signatures);
        }))).Guarded();

        IReadOnlyList<CryptoEngineThreadStatistics> threads = rig.Engine.GetThreadStatistics();
        Assert.Equal(2, threads.Count);
        Assert.Equal(threads.Select(t => t.ManagedThreadId).Order(), results.Select(r => r.thread).Order());
        Assert.All(threads, t => Assert.Equal((21L, 1L), (t.OperationsCompleted, t.WorkFunctionsRun)));
        Assert.All(threads, t => Assert.True(t.BusyTime > TimeSpan.Zero));
        Assert.All(results.SelectMany(r => r.signatures), s => Assert.True(ecdsa.VerifyHash(hash, s)));
        Assert.Equal(2, key.CopiesHeld);
    }

    [Fact]
    public async Task AThreadIsPinnedToItsCore()
    {
        Assert.Contains(0, CpuAffinity.AllowedCores());
        using CryptoEngine engine = CryptoRig.CreateEngine(configure: o => o.Cores = [0]);

        int[]? cores = await engine.SubmitAsync(static _ => CpuAffinity.GetThreadCores(0), 0).Guarded();

        Assert.Equal(0, engine.GetThreadStatistics()[0].Core);
        if (CpuAffinity.IsSupported)
        {
            Assert.Equal([0], cores!);
        }
    }

    [Fact]
    public async Task BusyTimeGrowsWithTheWorkDone()
    {
        using CryptoEngine engine = CryptoRig.CreateEngine();
        using CryptoKey key = engine.ImportRsa(TestKeys.Rsa(2048));
        byte[] hash = SHA256.HashData("busy"u8);
        TimeSpan before = engine.GetThreadStatistics()[0].BusyTime;

        for (int i = 0; i < 20; i++)
        {
            await engine.SignHashAsync(key, hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).Guarded();
        }

        CryptoEngineThreadStatistics after = engine.GetThreadStatistics()[0];
        Assert.Equal(20, after.OperationsCompleted);

        // Twenty RSA-2048 signatures take well over a tenth of a millisecond on any machine.
        Assert.True(after.BusyTime - before > TimeSpan.FromMilliseconds(0.1), after.ToString());
    }
}
