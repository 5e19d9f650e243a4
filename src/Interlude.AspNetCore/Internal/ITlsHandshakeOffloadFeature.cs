namespace Interlude.AspNetCore.Internal;

/// <summary>
/// On the connection's features when TLS handshakes are offloaded or run on the loop: the engine, the mode, and
/// where the connection's handshake reads were delivered. For diagnostics and tests.
/// </summary>
internal interface ITlsHandshakeOffloadFeature
{
    /// <summary>The engine the steps run on; null when they run on the connection's loop.</summary>
    Accelerator? Engine { get; }

    /// <summary>How the loop waits for each step.</summary>
    TlsHandshakeOffloadMode Mode { get; }

    /// <summary>The first handshake reads delivered, in order: on which thread, and from where in the byte stream.</summary>
    IReadOnlyList<TlsHandshakeDelivery> Deliveries { get; }
}

/// <summary>One handshake read delivered to SslStream.</summary>
/// <param name="ThreadId">The managed thread it was delivered on, where SslStream's step ran.</param>
/// <param name="Offset">Where its bytes start in the connection's byte stream: 0 for the client's first flight.</param>
/// <param name="Length">How many bytes it delivered.</param>
internal readonly record struct TlsHandshakeDelivery(int ThreadId, long Offset, long Length = 0);
