namespace Interlude.Harness.Http;

/// <summary>The h2load phases of <c>interlude bench http</c>, after wrk's closed loop.</summary>
public enum HttpLoadPhase
{
    /// <summary>Kept-alive connections at a fixed offered rate, the same for both transports.</summary>
    OpenLoop,

    /// <summary>A new connection per request, plain HTTP: accepting is on the request's path.</summary>
    ConnectionPerRequest,

    /// <summary>A new connection and a full TLS handshake per request.</summary>
    ConnectionPerRequestTls,
}
