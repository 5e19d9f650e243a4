namespace Interlude.Harness.Wake;

/// <summary><see cref="SemaphoreSlim"/> with one count per signal (it spins briefly before it blocks).</summary>
public sealed class SemaphorePrimitive : IWakePrimitive
{
    private readonly SemaphoreSlim _semaphore = new(0);

    public void Signal() => _semaphore.Release();

    public void Wait() => _semaphore.Wait();

    public void Dispose() => _semaphore.Dispose();
}
