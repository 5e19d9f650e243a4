using System.Runtime.CompilerServices;

namespace Interlude.Cli.Workload;

/// <summary>The accelerator-offload request: pre-process on the CPU, await the device, post-process on the CPU.</summary>
internal sealed class OffloadRequestHandler : IRequestHandler
{
    private readonly CpuWork _pre;
    private readonly CpuWork _post;
    private readonly SimulatedAccelerator _device;

    internal OffloadRequestHandler(CpuWork pre, CpuWork post, SimulatedAccelerator device)
    {
        _pre = pre;
        _post = post;
        _device = device;
    }

    public string Description
        => $"SHA-256 over {_pre.Bytes} B, offload ({_device.Options.ServiceTime}), SHA-256 over {_post.Bytes} B";

    // Pooled state machine: a request that suspends on the device would otherwise allocate one box per request,
    // and the garbage collector's pauses would show in the tail latency.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask HandleAsync()
    {
        _pre.Run();
        await _device.SubmitAsync();
        _post.Run();
    }

    public void RunComputeOnly()
    {
        _pre.Run();
        _post.Run();
    }
}
