namespace Interlude.Cli.Wake;

/// <summary><see cref="FastWakeEvent"/>, optionally spinning before it sleeps.</summary>
internal sealed class FastWakePrimitive(TimeSpan spin) : IWakePrimitive
{
    private readonly FastWakeEvent _event = new(initialState: false, spin);

    public void Signal() => _event.Set();

    public void Wait() => _event.Wait();

    public void Dispose()
    {
    }
}
