namespace Interlude.Harness.Db;

/// <summary>The medians over the rounds of one endpoint, load and server.</summary>
public sealed record DbSummary(
    string Server,
    string Endpoint,
    string Load,
    int Rounds,
    double OfferedPerSecond,
    double RequestsPerSecond,
    long Failed,
    double P50Us,
    double P99Us,
    double CpuUsPerRequest,
    double ContextSwitchesPerRequest);
