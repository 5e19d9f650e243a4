namespace Interlude.AspNetCore.Internal;

/// <summary>
/// On the connection's features when TLS handshakes are offloaded: the engine, the mode and where the connection's
/// handshake steps ran. For diagnostics and tests.
/// </summary>
internal interface ITlsHandshakeOffloadFeature
{
    /// <summary>The engine the steps run on.</summary>
    Accelerator Engine { get; }

    /// <summary>How the loop waits for each step.</summary>
    TlsHandshakeOffloadMode Mode { get; }

    /// <summary>Handshake reads delivered on the engine so far.</summary>
    int StepCount { get; }

    /// <summary>The managed thread id each of the first steps was delivered on, in order.</summary>
    IReadOnlyList<int> StepThreadIds { get; }
}
