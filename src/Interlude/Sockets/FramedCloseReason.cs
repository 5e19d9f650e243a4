namespace Interlude;

/// <summary>Why a <see cref="FramedServer"/> connection closed.</summary>
/// <remarks>
/// <see cref="PeerClosed"/>, <see cref="PeerReset"/>, <see cref="ClosedByApplication"/> and
/// <see cref="ServerStopped"/> are ordinary ends: they carry no error and are never reported as faults. The others
/// are the server enforcing a limit (the error names the option) or a failure.
/// </remarks>
public enum FramedCloseReason
{
    /// <summary>The peer finished sending (FIN) and every reply queued before then was sent.</summary>
    PeerClosed,

    /// <summary>The peer went away: it reset the connection, or the connection broke under a send.</summary>
    PeerReset,

    /// <summary>The application closed it (<see cref="FramedConnection.Close"/>).</summary>
    ClosedByApplication,

    /// <summary>The loop group stopped.</summary>
    ServerStopped,

    /// <summary>The peer announced a frame over <see cref="FramedServerOptions.MaxFrameSize"/>.</summary>
    FrameTooLarge,

    /// <summary>It was accepted beyond <see cref="FramedServerOptions.MaxConnections"/> and closed at once.</summary>
    ConnectionLimit,

    /// <summary>Nothing happened on it for <see cref="FramedServerOptions.IdleTimeout"/>.</summary>
    IdleTimeout,

    /// <summary>A frame's header took longer than <see cref="FramedServerOptions.HeaderTimeout"/>.</summary>
    HeaderTimeout,

    /// <summary>A frame took longer than <see cref="FramedServerOptions.FrameTimeout"/>.</summary>
    FrameTimeout,

    /// <summary>The peer sent a frame slower than <see cref="FramedServerOptions.MinDataRate"/>.</summary>
    ReceiveRateTooLow,

    /// <summary>The peer took its replies slower than <see cref="FramedServerOptions.MinDataRate"/>.</summary>
    SendRateTooLow,

    /// <summary>An unexpected socket error; the error says which.</summary>
    Error,
}
