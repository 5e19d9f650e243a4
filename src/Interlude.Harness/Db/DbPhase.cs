namespace Interlude.Harness.Db;

/// <summary>One measured phase: an endpoint on one server, closed or open loop, in one round.</summary>
/// <param name="Server">kestrel-sockets, interlude, or interlude-variant.</param>
/// <param name="Endpoint">The endpoint's short name.</param>
/// <param name="Load">closed, or open (h2load --rps at <paramref name="OfferedPerSecond"/>).</param>
/// <param name="Round">The round, from 1.</param>
/// <param name="OfferedPerSecond">The open loop's offered rate; 0 for the closed loop.</param>
/// <param name="RequestsPerSecond">What h2load measured (succeeded requests over its run).</param>
/// <param name="Requests">Requests h2load finished with a 2xx.</param>
/// <param name="Failed">Requests that failed, errored, timed out or got another status.</param>
/// <param name="P50Us">Median latency, microseconds (h2load's per-request log).</param>
/// <param name="P99Us">99th percentile latency, microseconds.</param>
/// <param name="CpuUsPerRequest">The server process's user + system CPU over the phase (/proc/PID/stat), per request.</param>
/// <param name="ContextSwitchesPerRequest">The server's threads' voluntary + involuntary context switches over the phase (/proc/PID/task/*/status; a thread that ended during the phase is not counted), per request.</param>
public sealed record DbPhase(
    string Server,
    string Endpoint,
    string Load,
    int Round,
    double OfferedPerSecond,
    double RequestsPerSecond,
    long Requests,
    long Failed,
    double P50Us,
    double P99Us,
    double CpuUsPerRequest,
    double ContextSwitchesPerRequest);
