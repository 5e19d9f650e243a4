using System.Runtime.ExceptionServices;

namespace Interlude.Benchmarks;

/// <summary>
/// Lets the benchmark thread wait for a coroutine running on a loop to finish one invocation, and carries
/// the coroutine's exception back to it.
/// </summary>
internal sealed class CompletionSignal : IDisposable
{
    // Next to no spinning: on a two-core machine a spinning waiter would take a core from the loop or the device.
    private readonly ManualResetEventSlim _event = new(initialState: false, spinCount: 1);
    private Exception? _error;

    internal void Reset()
    {
        _error = null;
        _event.Reset();
    }

    internal void Set(Exception? error)
    {
        _error = error;
        _event.Set();
    }

    internal void Wait()
    {
        _event.Wait();
        if (_error is { } error)
        {
            ExceptionDispatchInfo.Capture(error).Throw();
        }
    }

    public void Dispose() => _event.Dispose();
}
