namespace Interlude.PublicSurface.Tests.Devices;

/// <summary>The <see cref="Doubler"/>'s model: answers each request as soon as it takes it.</summary>
internal sealed class DoublerWorker(Accelerator device, int index, int? core, TimeSpan idleSpin)
    : DeviceWorker(device, index, core, idleSpin)
{
    protected override void Accept(DeviceOperation operation, long now)
    {
        operation.SetResult(2 * operation.GetRequest<long>());
        Complete(operation, now);
    }
}
