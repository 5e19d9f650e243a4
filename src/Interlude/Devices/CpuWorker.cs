using System.Diagnostics;
using Interlude.Offload;

namespace Interlude.Devices;

/// <summary>A CPU engine thread: runs each work function as soon as it takes it, then completes it.</summary>
internal sealed class CpuWorker : DeviceWorker
{
    internal CpuWorker(CpuAccelerator device, int index, int? core, TimeSpan idleSpin)
        : base(device, index, core, idleSpin)
    {
    }

    protected override bool CanAccept => true;

    protected override int InService => 0;

    protected override long NextDueTicks => long.MaxValue;

    protected override void Accept(OffloadOperation op, DeviceChannel? channel, long serviceTicks, bool hasWork, long now)
    {
        if (hasWork)
        {
            op.Execute();
        }

        Complete(op, channel, Stopwatch.GetTimestamp());
    }

    protected override bool Advance(long now) => false;

    protected override IEnumerable<(OffloadOperation Op, DeviceChannel? Channel)> TakeAllInService() => [];
}
