namespace Interlude.Harness.Wake;

/// <summary><see cref="FastWakeEvent"/>, optionally spinning before it sleeps.</summary>
public sealed class FastWakePrimitive(TimeSpan spin) : IWakePrimitive
{
    private readonly FastWakeEvent _event = new(initialState: false, spin);

    public void Signal() => _event.Set();

    public void Wait() => _event.Wait();

    public void Dispose()
    {
    }
}
