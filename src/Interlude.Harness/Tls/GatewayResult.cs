namespace Interlude.Harness.Tls;

/// <summary>The SecureGateway sample's <c>POST /tokens</c> (an ES256 token per request) under one mode, on kept-alive connections.</summary>
public sealed class GatewayResult
{
    public required string Mode { get; init; }

    /// <summary>Why the mode has no figures; null when it ran.</summary>
    public string? Error { get; init; }

    public long Requests { get; init; }

    /// <summary>Requests that got a 2xx response.</summary>
    public long Succeeded { get; init; }

    /// <summary>Requests that failed or got another status.</summary>
    public long Failed { get; init; }

    /// <summary>Tokens issued per second: h2load's 2xx responses over its run time.</summary>
    public double TokensPerSecond { get; init; } = double.NaN;

    public double P50Us { get; init; } = double.NaN;

    public double P99Us { get; init; } = double.NaN;

    /// <summary>The process's CPU time less the engine's thread, per request; NaN without /proc or requests.</summary>
    public double AppCpuUsPerRequest { get; init; } = double.NaN;

    /// <summary>The engine thread's CPU time over the wall time; null without an engine.</summary>
    public double? EngineUtilization { get; init; }

    public static GatewayResult Failure(string mode, string error) => new() { Mode = mode, Error = error };
}
