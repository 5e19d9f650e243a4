namespace Interlude.Harness.Http;

/// <summary>One h2load phase on one transport: throughput and the latency percentiles (microseconds) of its requests.</summary>
/// <param name="Transport">"sockets" or "interlude".</param>
/// <param name="Phase">The phase.</param>
/// <param name="OfferedRate">Requests/s offered (open loop), NaN when h2load sent as fast as answered.</param>
/// <param name="RequestsPerSecond">Requests answered per second, as h2load measured it.</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="Failed">Requests not answered with a 2xx.</param>
/// <param name="P50Us">Median latency, from h2load's per-request log.</param>
/// <param name="P99Us">99th percentile.</param>
/// <param name="P999Us">99.9th percentile.</param>
/// <param name="ConnectMeanUs">Mean time for connect (TCP, and TLS on https) over h2load's clients.</param>
public sealed record HttpLoadResult(
    string Transport,
    HttpLoadPhase Phase,
    double OfferedRate,
    double RequestsPerSecond,
    long Requests,
    long Failed,
    double P50Us,
    double P99Us,
    double P999Us,
    double ConnectMeanUs);
