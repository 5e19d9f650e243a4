namespace Interlude.Harness.Workload;

/// <summary>
/// What one request does. The same handler runs under every execution mode; only the offload port it is
/// given, and so where its awaits resume, differs.
/// </summary>
public interface IRequestHandler
{
    /// <summary>One line for reports, for example "SHA-256 1.0 us, offload 10 us, SHA-256 1.0 us".</summary>
    string Description { get; }

    /// <summary>
    /// Serves request number <paramref name="requestIndex"/>, offloading through <paramref name="port"/>. The
    /// result depends only on the index, so the same requests give the same results under every mode.
    /// </summary>
    ValueTask<ulong> HandleAsync(IOffloadPort port, long requestIndex);

    /// <summary>The request's CPU work alone, without the offload: what c measures.</summary>
    void RunComputeOnly();
}
