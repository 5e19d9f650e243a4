using System.Diagnostics;

namespace Interlude.Devices;

/// <summary>A CPU engine thread: runs each work function as soon as it takes it, then completes it.</summary>
internal sealed class CpuWorker : DeviceWorker
{
    internal CpuWorker(CpuAccelerator device, int index, int? core, TimeSpan idleSpin)
        : base(device, index, core, idleSpin)
    {
    }

    protected override void Accept(DeviceOperation operation, long now)
    {
        operation.Execute();
        Complete(operation, Stopwatch.GetTimestamp());
    }
}
