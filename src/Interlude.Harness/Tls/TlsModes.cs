using Interlude.AspNetCore;

namespace Interlude.Harness.Tls;

/// <summary>
/// The servers <c>interlude bench tls</c> compares: the same app and certificate, differing only in the transport
/// and in where the TLS handshakes' CPU work runs.
/// </summary>
public static class TlsModes
{
    /// <summary>Kestrel's own socket transport with HTTPS: what .NET applications run today.</summary>
    public const string KestrelSockets = "kestrel-sockets";

    /// <summary>Interlude's transport, each handshake computed inline on the connection's loop.</summary>
    public const string Software = "software";

    /// <summary>Handshake steps on the engine; the loop's thread sleeps until each finishes.</summary>
    public const string OffloadSync = "offload-sync";

    /// <summary>Handshake steps on the engine; the loop's thread spins until each finishes.</summary>
    public const string OffloadBusy = "offload-busy";

    /// <summary>Handshake steps on the engine; the loop serves other connections meanwhile.</summary>
    public const string OffloadAsync = "offload-async";

    /// <summary>Every mode, in the order they run and are printed.</summary>
    public static IReadOnlyList<string> All { get; } = [KestrelSockets, Software, OffloadSync, OffloadBusy, OffloadAsync];

    /// <summary>Whether the mode runs on Interlude's transport.</summary>
    public static bool UsesInterlude(string mode) => mode != KestrelSockets;

    /// <summary>How the loop waits for the engine in an offload mode; null for the modes without an engine.</summary>
    public static TlsHandshakeOffloadMode? OffloadModeOf(string mode) => mode switch
    {
        OffloadSync => TlsHandshakeOffloadMode.Block,
        OffloadBusy => TlsHandshakeOffloadMode.Spin,
        OffloadAsync => TlsHandshakeOffloadMode.Async,
        _ => null,
    };
}
