namespace Interlude.Harness.Http;

/// <summary>What one wrk run printed: throughput, latency percentiles (microseconds) and errors.</summary>
public sealed record WrkResult(
    string Transport,
    double RequestsPerSecond,
    long Requests,
    double LatencyP50Us,
    double LatencyP75Us,
    double LatencyP90Us,
    double LatencyP99Us,
    long SocketErrors,
    long Non2xx);
