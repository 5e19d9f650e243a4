namespace Interlude.Harness.Tls;

/// <summary>What one h2load run printed, in seconds and microseconds.</summary>
/// <param name="FinishedSeconds">"finished in": from the first connection to the last response.</param>
/// <param name="RequestsPerSecond">Succeeded requests over <paramref name="FinishedSeconds"/>.</param>
/// <param name="Requests">Requests asked for (-n).</param>
/// <param name="Succeeded">Requests answered, whatever the status.</param>
/// <param name="Failed">Requests not answered (connect or TLS errors, resets).</param>
/// <param name="Errored">Requests that failed with an error.</param>
/// <param name="TimedOut">Requests that timed out.</param>
/// <param name="Status2xx">Responses with a 2xx status.</param>
/// <param name="ConnectMeanUs">Mean "time for connect" over the clients: TCP and TLS handshake of each client's first connection.</param>
/// <param name="ConnectMaxUs">Largest "time for connect".</param>
/// <param name="FirstByteMeanUs">Mean "time to 1st byte" over the clients.</param>
/// <param name="TlsProtocol">The negotiated protocol, for example "TLSv1.3"; empty without TLS.</param>
/// <param name="Cipher">The negotiated cipher suite; empty without TLS.</param>
/// <param name="ServerTempKey">The key exchange, for example "X25519 253 bits"; empty when h2load did not say.</param>
public sealed record H2loadResult(
    double FinishedSeconds,
    double RequestsPerSecond,
    long Requests,
    long Succeeded,
    long Failed,
    long Errored,
    long TimedOut,
    long Status2xx,
    double ConnectMeanUs,
    double ConnectMaxUs,
    double FirstByteMeanUs,
    string TlsProtocol,
    string Cipher,
    string ServerTempKey);
