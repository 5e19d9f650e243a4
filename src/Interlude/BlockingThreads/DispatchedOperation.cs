using Interlude.Offload;

namespace Interlude.BlockingThreads;

/// <summary>
/// An offload submitted by a blocked thread (through <see cref="CompletionDispatcher"/> or a direct wake): it
/// travels the accelerator's off-loop queue and, when the device is done, delivers itself to its owner's slot
/// from the device thread instead of completing an awaited source.
/// </summary>
/// <remarks>
/// Phase word: PENDING, then exactly one of DONE (the device finished it: only the device thread moves it there)
/// or ABANDONED (its owner stopped waiting, on cancellation or disposal: only the owner moves it there), by
/// compare-exchange, so the owner and the device agree on who had the last word. A DONE operation is delivered
/// once (the owner's slot is rung); an ABANDONED one is dropped by the device and never reused.
/// </remarks>
internal abstract class DispatchedOperation : OffloadOperation
{
    private const int Pending = 0;
    private const int Done = 1;
    private const int Abandoned = 2;

    // Written by the owner before submission; read by the device thread when it delivers.
    internal OwnerSlot? Owner;

    // Written by the device thread when it runs the operation (before DONE); read by the owner after DONE. False
    // when the device handed the operation back without running it because it was cancelled.
    internal bool Ran;

    // Moved out of PENDING once, by the device (DONE) or the owner (ABANDONED). Reset by the owner on reuse.
    private int _phase;

    /// <summary>Owner: whether the device has finished it (an acquire: its outcome is visible after).</summary>
    internal bool IsDone => Volatile.Read(ref _phase) == Done;

    /// <summary>Owner: stop waiting for it. False if the device finished it first (its outcome stands).</summary>
    internal bool TryAbandon() => Interlocked.CompareExchange(ref _phase, Abandoned, Pending) == Pending;

    /// <summary>Device thread (or a thread failing the off-loop queue): deliver it to its owner, unless abandoned.</summary>
    internal sealed override void OnDeviceDone()
    {
        // Read before publishing: once DONE the owner may reuse this object at any moment.
        OwnerSlot owner = Owner!;
        if (Interlocked.CompareExchange(ref _phase, Done, Pending) == Pending)
        {
            owner.Deliver();
        }
    }

    /// <summary>Never submitted by a loop, so never cancelled by one.</summary>
    internal sealed override bool CancelOnLoop(CancellationToken token) => false;

    /// <summary>Owner, before reuse: back to PENDING with no outcome.</summary>
    private protected void ResetDispatched()
    {
        Owner = null;
        Ran = false;
        DeviceError = null;
        CancelRequested = false;
        Argument = 0;
        SubmitTimestamp = 0;
        _phase = Pending;
    }
}
