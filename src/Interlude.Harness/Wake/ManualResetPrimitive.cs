namespace Interlude.Harness.Wake;

/// <summary>
/// <see cref="ManualResetEventSlim"/> used as an auto-reset signal: the waiter resets it after each wait. The
/// signaller never sets it again before the waiter has answered, so the reset cannot swallow a signal.
/// </summary>
/// <param name="spinCount">The event's SpinCount; null keeps the runtime's default.</param>
public sealed class ManualResetPrimitive(int? spinCount) : IWakePrimitive
{
    private readonly ManualResetEventSlim _event = spinCount is int count ? new(false, count) : new(false);

    public void Signal() => _event.Set();

    public void Wait()
    {
        _event.Wait();
        _event.Reset();
    }

    public void Dispose() => _event.Dispose();
}
