namespace Interlude.Tests.Infrastructure;

/// <summary>
/// The <see cref="HookedAccelerator"/>'s model: runs each operation as soon as it takes it and completes it, then
/// calls <see cref="AfterComplete"/> on the worker thread before the call into the model returns.
/// </summary>
internal sealed class HookedWorker : DeviceWorker
{
    private readonly ManualResetEventSlim _released;

    public HookedWorker(Accelerator device, bool hold)
        : base(device, 0, null, TimeSpan.Zero)
    {
        _released = new ManualResetEventSlim(!hold);
    }

    /// <summary>Worker thread, inside <see cref="Accept"/>, after the operation's completion is published.</summary>
    public Action? AfterComplete { get; set; }

    /// <summary>Lets a held worker start its first pass.</summary>
    public void Release() => _released.Set();

    protected override void OnThreadStarted() => _released.Wait();

    protected override void Accept(DeviceOperation operation, long now)
    {
        operation.Execute();
        Complete(operation, now);
        AfterComplete?.Invoke();
    }
}
