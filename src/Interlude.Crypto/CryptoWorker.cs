using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Interlude.Crypto;

/// <summary>
/// An engine thread: performs each crypto request (or runs each work function) as soon as it takes it, with its
/// own copy of each key, and completes it. A request's failure goes to its caller; the thread carries on.
/// </summary>
internal sealed class CryptoWorker : DeviceWorker
{
    private readonly CryptoEngine _engine;
    private readonly Counters _counters = new();

    // Worker thread only: the keys this thread built a copy of, and the engine's key-disposal count it last swept at.
    private readonly List<CryptoKey> _adopted = [];
    private int _sweptDisposals;

    internal CryptoWorker(CryptoEngine engine, int index, int? core, TimeSpan idleSpin)
        : base(engine, index, core, idleSpin)
    {
        _engine = engine;
    }

    /// <summary>Any thread: a snapshot of what this thread has done.</summary>
    internal CryptoEngineThreadStatistics Snapshot()
        => new(
            Index,
            Core,
            Volatile.Read(ref _counters.ManagedThreadId),
            Volatile.Read(ref _counters.Completed),
            Volatile.Read(ref _counters.Failed),
            Volatile.Read(ref _counters.WorkFunctions),
            Stopwatch.GetElapsedTime(0, Volatile.Read(ref _counters.BusyTicks)));

    /// <summary>Worker thread: <paramref name="key"/> now has a copy on this thread, to free when it is disposed.</summary>
    internal void Adopt(CryptoKey key) => _adopted.Add(key);

    protected override void OnThreadStarted()
        => Volatile.Write(ref _counters.ManagedThreadId, Environment.CurrentManagedThreadId);

    protected override void OnThreadStopping()
    {
        foreach (CryptoKey key in _adopted)
        {
            key.Release(this);
        }

        _adopted.Clear();
    }

    protected override void Accept(DeviceOperation operation, long now)
    {
        long start = Stopwatch.GetTimestamp();
        int disposals = _engine.KeyDisposals;
        if (disposals != _sweptDisposals)
        {
            _sweptDisposals = disposals;
            _adopted.RemoveAll(key => key.ReleaseIfDisposed(this));
        }

        if (Device.IsDisposed)
        {
            // The engine is stopping: what this pass took but has not started fails at once instead of holding
            // up Dispose for the computation (the rings' remaining operations fail the same way).
            operation.SetError(new ObjectDisposedException(Device.Name, "The crypto engine was disposed; the operation was in flight."));
            Volatile.Write(ref _counters.Failed, _counters.Failed + 1);
        }
        else if (operation.TryGetRequest(out CryptoRequest request))
        {
            try
            {
                Perform(operation, in request);
            }
            catch (Exception ex)
            {
                // Only this caller's operation fails; the thread and every other operation carry on.
                operation.SetError(ex);
                Volatile.Write(ref _counters.Failed, _counters.Failed + 1);
            }
        }
        else
        {
            // A work function (the transport's TLS handshake steps): it keeps its own result or exception.
            operation.Execute();
            Volatile.Write(ref _counters.WorkFunctions, _counters.WorkFunctions + 1);
        }

        long end = Stopwatch.GetTimestamp();
        Volatile.Write(ref _counters.BusyTicks, _counters.BusyTicks + (end - start));
        Volatile.Write(ref _counters.Completed, _counters.Completed + 1);
        Complete(operation, end);
    }

    private void Perform(DeviceOperation operation, in CryptoRequest request)
    {
        switch (request.Kind)
        {
            case CryptoOperationKind.RsaSign:
                operation.SetResult(request.Key!.Get<RSA>(this).SignHash(request.Input.Span, request.HashAlgorithm, (RSASignaturePadding)request.Parameter!));
                break;
            case CryptoOperationKind.RsaVerify:
                operation.SetResult(request.Key!.Get<RSA>(this).VerifyHash(request.Input.Span, request.Input2.Span, request.HashAlgorithm, (RSASignaturePadding)request.Parameter!));
                break;
            case CryptoOperationKind.RsaDecrypt:
                operation.SetResult(request.Key!.Get<RSA>(this).Decrypt(request.Input.Span, (RSAEncryptionPadding)request.Parameter!));
                break;
            case CryptoOperationKind.ECDsaSign:
                operation.SetResult(request.Key!.Get<ECDsa>(this).SignHash(request.Input.Span));
                break;
            case CryptoOperationKind.ECDsaVerify:
                operation.SetResult(request.Key!.Get<ECDsa>(this).VerifyHash(request.Input.Span, request.Input2.Span));
                break;
            case CryptoOperationKind.ECDiffieHellmanDerive:
                operation.SetResult(request.Key!.Get<ECDiffieHellman>(this).DeriveRawSecretAgreement((ECDiffieHellmanPublicKey)request.Parameter!));
                break;
            case CryptoOperationKind.AesGcmSeal:
                request.Key!.Get<AesGcm>(this).Encrypt(request.Nonce.Span, request.Input.Span, request.Output.Span, request.Output2.Span, request.AssociatedData.Span);
                operation.SetResult(request.Input.Length);
                break;
            case CryptoOperationKind.AesGcmOpen:
                request.Key!.Get<AesGcm>(this).Decrypt(request.Nonce.Span, request.Input.Span, request.Input2.Span, request.Output.Span, request.AssociatedData.Span);
                operation.SetResult(request.Input.Length);
                break;
            case CryptoOperationKind.Sha256:
                operation.SetResult(SHA256.HashData(request.Input.Span, request.Output.Span));
                break;
            case CryptoOperationKind.HmacSha256:
                if (!request.Key!.Get<HMACSHA256>(this).TryComputeHash(request.Input.Span, request.Output.Span, out int written))
                {
                    throw new ArgumentException("The destination is too small for an HMAC-SHA-256 tag (32 bytes).");
                }

                operation.SetResult(written);
                break;
            default:
                throw new InvalidOperationException($"Unknown crypto operation {request.Kind}.");
        }
    }

    /// <summary>
    /// Written by the worker thread only (plain increments published with a volatile write), read by anyone. In
    /// an object of their own, padded, so that the writes every operation makes share no cache line with what the
    /// submitting loops read on the worker.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private sealed class Counters
    {
        [FieldOffset(64)]
        public long Completed;

        [FieldOffset(72)]
        public long Failed;

        [FieldOffset(80)]
        public long WorkFunctions;

        [FieldOffset(88)]
        public long BusyTicks;

        [FieldOffset(96)]
        public int ManagedThreadId;
    }
}
