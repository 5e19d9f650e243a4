namespace Interlude.AspNetCore;

/// <summary>How a connection's loop waits while a TLS handshake step runs on the offload engine.</summary>
public enum TlsHandshakeOffloadMode
{
    /// <summary>
    /// Only the connection waits: its loop hands the step to the engine and goes on serving every other
    /// connection; the handshake continues on the engine and the connection comes back to its loop after it.
    /// </summary>
    Async,

    /// <summary>
    /// The loop's thread sleeps in the kernel until the engine has finished the step (the context-switch
    /// approach, for comparison): every connection on the loop waits.
    /// </summary>
    Block,

    /// <summary>
    /// The loop's thread spins until the engine has finished the step (the busy-wait approach, for comparison):
    /// every connection on the loop waits, and the loop's core does nothing else.
    /// </summary>
    Spin,
}
