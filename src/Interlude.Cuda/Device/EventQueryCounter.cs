using Interlude.Cuda.Completion;
using Interlude.Cuda.Interop;

namespace Interlude.Cuda.Device;

/// <summary>
/// The completion count as the driver tells it: cuEventQuery on each in-flight submission's event, oldest first,
/// up to the first not yet done. A driver call per look, on the loop: the mode the mapped flag is measured against.
/// </summary>
internal sealed class EventQueryCounter : ICompletionCounter
{
    private readonly nint[] _events;
    private readonly uint _mask;

    internal EventQueryCounter(nint[] events, uint mask)
    {
        _events = events;
        _mask = mask;
    }

    /// <summary>Loop thread: set once, right after the poller is made.</summary>
    internal SequencePoller<CudaOperation>? Poller { get; set; }

    /// <summary>Loop thread: a failure a query reported (the context's sticky error); the queue fails what is in flight.</summary>
    internal CudaException? Error { get; set; }

    public uint Read()
    {
        SequencePoller<CudaOperation> poller = Poller!;
        uint done = poller.Reaped;
        while (done != poller.Submitted)
        {
            int result = Driver.cuEventQuery(_events[(done + 1) & _mask]);
            if (result == CudaStatusNames.DriverNotReady)
            {
                break;
            }

            if (result != CudaStatusNames.DriverSuccess)
            {
                Error = CudaErrors.Driver(result, "cuEventQuery");
                break;
            }

            done++;
        }

        return done;
    }
}
