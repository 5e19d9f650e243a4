using System.Runtime.ExceptionServices;

namespace Interlude.Loops;

/// <summary>A synchronous call marshalled onto a loop by <see cref="LoopSynchronizationContext.Send"/>.</summary>
internal sealed class SendCall
{
    private readonly SendOrPostCallback _callback;
    private readonly object? _state;
    private readonly ManualResetEventSlim _done = new(false);
    private ExceptionDispatchInfo? _error;

    internal SendCall(SendOrPostCallback callback, object? state)
    {
        _callback = callback;
        _state = state;
    }

    internal void Run()
    {
        try
        {
            _callback(_state);
        }
        catch (Exception ex)
        {
            _error = ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            _done.Set();
        }
    }

    internal void Wait()
    {
        _done.Wait();
        _done.Dispose();
        _error?.Throw();
    }
}
