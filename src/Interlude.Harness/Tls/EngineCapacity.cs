using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Interlude.Crypto;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Tls;

/// <summary>
/// The engine's standalone capacity with a certificate's key, the bound on handshakes per second (each full
/// handshake signs once): signatures per second through <see cref="CryptoEngine.SignHashAsync(CryptoKey, ReadOnlyMemory{byte}, CancellationToken)"/>
/// with many in flight, and the BCL's own rate signing in a tight loop on one thread pinned to the engine's core.
/// </summary>
public static class EngineCapacity
{
    /// <summary>Signatures kept in flight on the engine: enough that it never waits for the submitter.</summary>
    public const int InFlight = 64;

    /// <summary>Measures both rates for <paramref name="duration"/> each, on <paramref name="engineCore"/>.</summary>
    public static async Task<EngineCapacityResult> MeasureAsync(X509Certificate2 certificate, int engineCore, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        byte[] hash = SHA256.HashData("interlude bench tls"u8);
        using RSA? rsa = certificate.GetRSAPrivateKey();
        using ECDsa? ecdsa = certificate.GetECDsaPrivateKey();
        Func<byte[]> signAlone = rsa is not null
            ? () => rsa.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ecdsa is not null
                ? () => ecdsa.SignHash(hash)
                : throw new ArgumentException("The certificate has neither an RSA nor an ECDSA private key.", nameof(certificate));

        (double bcl, double bclBusy) = MeasureBcl(signAlone, engineCore, duration);

        try
        {
            EngineCapacityResult engine = await MeasureEngineAsync(rsa, ecdsa, hash, engineCore, duration, bcl, cancellationToken).ConfigureAwait(false);
            return engine with { BclBusy = bclBusy };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The BCL's rate stands on its own: keep it, and say why the engine's is missing.
            return new EngineCapacityResult(double.NaN, 0, 0, double.NaN, bcl) { BclBusy = bclBusy, EngineError = $"{ex.GetType().Name}: {ex.Message}" };
        }
    }

    private static async Task<EngineCapacityResult> MeasureEngineAsync(
        RSA? rsa, ECDsa? ecdsa, byte[] hash, int engineCore, TimeSpan duration, double bcl, CancellationToken cancellationToken)
    {
        using var engine = new CryptoEngine(new CryptoEngineOptions { Threads = 1, Cores = [engineCore] });
        var engineThreads = new ThreadGroupUsage([await LocateThreadAsync(engine, cancellationToken).ConfigureAwait(false)]);
        CryptoKey key = rsa is not null ? engine.ImportRsa(rsa) : engine.ImportECDsa(ecdsa!);
        Func<ValueTask<byte[]>> sign = rsa is not null
            ? () => engine.SignHashAsync(key, hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, cancellationToken)
            : () => engine.SignHashAsync(key, hash, cancellationToken);

        // Warm-up: the engine's first operations pay for JIT and the key's first use.
        await RunAsync(sign, TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);

        TimeSpan cpuBefore = engineThreads.ReadCpu();
        long start = Stopwatch.GetTimestamp();
        long signatures = await RunAsync(sign, duration).ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        TimeSpan engineCpu = engineThreads.ReadCpu() - cpuBefore;
        return new EngineCapacityResult(
            SignaturesPerSecond: signatures / seconds,
            Signatures: signatures,
            Seconds: seconds,
            EngineBusy: engineCpu.TotalSeconds / seconds,
            BclSignaturesPerSecond: bcl);
    }

    /// <summary>The Linux id of a one-thread engine's thread, asked of the thread itself; 0 where /proc is unavailable.</summary>
    public static async Task<int> LocateThreadAsync(Accelerator engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return await engine.SubmitAsync(static (byte _) => ProcessThreads.CurrentId(), (byte)0, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> RunAsync(Func<ValueTask<byte[]>> sign, TimeSpan duration)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task<long>[InFlight];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(async () =>
            {
                long done = 0;
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    await sign().ConfigureAwait(false);
                    done++;
                }

                return done;
            });
        }

        long[] counts = await Task.WhenAll(workers).ConfigureAwait(false);
        return counts.Sum();
    }

    private static (double Rate, double Busy) MeasureBcl(Func<byte[]> sign, int core, TimeSpan duration)
    {
        // Written by the signing thread; read here after the join.
        double rate = 0;
        double busy = double.NaN;
        var thread = new Thread(
            () =>
            {
                CpuAffinity.TryPinCurrentThread(core);
                sign();
                ResourceUsage before = ResourceUsage.ReadCurrentThread();
                long start = Stopwatch.GetTimestamp();
                long deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
                long done = 0;
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    sign();
                    done++;
                }

                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                rate = done / seconds;
                if (ResourceUsage.IsAvailable)
                {
                    busy = (ResourceUsage.ReadCurrentThread() - before).CpuTime.TotalSeconds / seconds;
                }
            },
            256 * 1024)
        {
            IsBackground = true,
            Name = "tls-bcl-sign",
        };
        thread.Start();
        thread.Join();
        return (rate, busy);
    }
}
