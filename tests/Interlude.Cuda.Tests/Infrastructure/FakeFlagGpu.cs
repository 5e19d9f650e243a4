using System.Runtime.InteropServices;
using Interlude.Cuda.Completion;

namespace Interlude.Cuda.Tests.Infrastructure;

/// <summary>
/// A fake GPU: a thread that "executes" submitted sequence numbers in order and writes each, when done, into a
/// word of unmanaged memory the way cuStreamWriteValue32 writes mapped host memory; it never looks at the loop.
/// Asked for a wake (as a host function after the work so far would), it calls the poller's producer side once
/// it has written everything submitted before the request.
/// </summary>
/// <remarks>
/// <c>_submitted</c> and <c>_wakeAfter</c>: written by the submitting thread, read by the GPU thread. The word: the
/// GPU thread writes, the poller reads.
/// </remarks>
internal sealed unsafe class FakeFlagGpu : IWakeRequest, IDisposable
{
    private readonly uint* _word;
    private readonly Thread _thread;
    private readonly Func<int, bool>? _delay;
    private uint _submitted;
    private long _wakeAfter = -1;
    private volatile bool _stopping;

    internal FakeFlagGpu(uint initial, Func<int, bool>? delay = null)
    {
        _word = (uint*)NativeMemory.AlignedAlloc(64, 64);
        *_word = initial;
        _submitted = initial;
        _delay = delay;
        Counter = new MappedCounter(_word);
        _thread = new Thread(Run) { IsBackground = true, Name = "fake-gpu" };
        _thread.Start();
    }

    internal MappedCounter Counter { get; }

    /// <summary>Set once the poller exists: the producer side a requested wake calls.</summary>
    internal Action? OnWake { get; set; }

    internal int WakeRequests;

    /// <summary>Submitting thread: the work numbered up to <paramref name="sequence"/> is on the "stream".</summary>
    internal void Submit(uint sequence) => Volatile.Write(ref _submitted, sequence);

    public void RequestWake()
    {
        Interlocked.Increment(ref WakeRequests);
        Volatile.Write(ref _wakeAfter, Volatile.Read(ref _submitted));
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        NativeMemory.AlignedFree(_word);
    }

    private void Run()
    {
        uint done = Volatile.Read(ref *_word);
        int step = 0;
        while (!_stopping)
        {
            long wakeAfter = Volatile.Read(ref _wakeAfter);
            if (wakeAfter >= 0 && (uint)wakeAfter == done)
            {
                Volatile.Write(ref _wakeAfter, -1);
                OnWake?.Invoke();
            }

            if (Volatile.Read(ref _submitted) == done)
            {
                Thread.Yield();
                continue;
            }

            if (_delay?.Invoke(step++) == true)
            {
                Thread.Sleep(1);
            }

            done++;
            Volatile.Write(ref *_word, done);
        }
    }
}
