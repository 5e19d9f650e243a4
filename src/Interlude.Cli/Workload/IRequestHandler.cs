namespace Interlude.Cli.Workload;

/// <summary>
/// What one request does. The same handler runs under every execution mode; only where its awaits resume
/// differs.
/// </summary>
internal interface IRequestHandler
{
    /// <summary>One line for reports, for example "SHA-256 1.0 us, offload 10 us, SHA-256 1.0 us".</summary>
    string Description { get; }

    /// <summary>Serves one request.</summary>
    ValueTask HandleAsync();

    /// <summary>The request's CPU work alone, without the offload: what c measures.</summary>
    void RunComputeOnly();
}
