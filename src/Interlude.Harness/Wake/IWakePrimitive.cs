namespace Interlude.Harness.Wake;

/// <summary>
/// One direction of a ping-pong between two threads, as an auto-reset signal: one thread signals, one waits,
/// and each wait consumes one signal.
/// </summary>
public interface IWakePrimitive : IDisposable
{
    /// <summary>Releases the waiter (or the next wait). Any thread.</summary>
    void Signal();

    /// <summary>Blocks until signalled, then consumes the signal. One waiting thread.</summary>
    void Wait();
}
