using System.Runtime.CompilerServices;

namespace Interlude.Harness.Workload;

/// <summary>The accelerator-offload request: pre-process on the CPU, await the device, post-process on the CPU.</summary>
/// <remarks>
/// The post-processing hashes a window chosen by the pre-processing's digest, and the pre-processing a window
/// chosen by the request's index, so a request's result proves that both ran, in order, for that request.
/// </remarks>
public sealed class OffloadRequestHandler : IRequestHandler
{
    private readonly CpuWork _pre;
    private readonly CpuWork _post;
    private readonly ServiceTime _offload;

    /// <param name="offload">The service time of the device the modes' ports offload to; named here for the description.</param>
    public OffloadRequestHandler(CpuWork pre, CpuWork post, ServiceTime offload)
    {
        _pre = pre;
        _post = post;
        _offload = offload;
    }

    public string Description
        => $"SHA-256 over {_pre.Bytes} B, offload ({_offload}), SHA-256 over {_post.Bytes} B";

    // Pooled state machine: a request that suspends on the device would otherwise allocate one box per request,
    // and the garbage collector's pauses would show in the tail latency.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ulong> HandleAsync(IOffloadPort port, long requestIndex)
    {
        ulong pre = _pre.Run(RequestDigest.Mix((ulong)requestIndex));
        await port.OffloadAsync();
        ulong post = _post.Run(pre);
        return RequestDigest.Mix(post ^ (ulong)requestIndex);
    }

    public void RunComputeOnly() => _post.Run(_pre.Run(0));
}
