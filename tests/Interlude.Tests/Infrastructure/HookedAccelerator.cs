namespace Interlude.Tests.Infrastructure;

/// <summary>
/// A one-worker CPU-like device whose worker a test can hold before its first pass (so the test plays the worker's
/// side of the parker) and whose model calls a hook right after each completion it publishes, still inside the
/// same call into the model.
/// </summary>
internal sealed class HookedAccelerator : Accelerator
{
    public HookedAccelerator(bool holdWorker)
        : base("hooked", new AcceleratorOptions { IdleSpin = TimeSpan.Zero, RingCapacity = 64 })
    {
        Worker = new HookedWorker(this, holdWorker);
        StartWorkers([Worker]);
    }

    public HookedWorker Worker { get; }
}
