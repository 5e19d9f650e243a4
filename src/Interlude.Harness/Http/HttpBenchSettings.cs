namespace Interlude.Harness.Http;

/// <summary>What <c>interlude bench http</c> runs: wrk's and h2load's settings, and the Interlude loops'.</summary>
/// <param name="Threads">wrk threads.</param>
/// <param name="Connections">Open connections (wrk -c, and h2load's open loop).</param>
/// <param name="Duration">Measured seconds per transport (wrk's closed loop).</param>
/// <param name="Warmup">Warm-up seconds per transport, not measured.</param>
/// <param name="Loops">Interlude loops; null: one per core.</param>
/// <param name="Wait">The Interlude loops' wait strategy.</param>
/// <param name="Pin">Whether the Interlude loops are pinned to cores.</param>
public sealed record HttpBenchSettings(int Threads, int Connections, int Duration, int Warmup, int? Loops, WaitStrategy Wait, bool Pin)
{
    /// <summary>Open loop: the offered rate as a fraction of Kestrel sockets' closed-loop requests/s; 0 skips it.</summary>
    public double OpenLoopFraction { get; init; } = 0.5;

    /// <summary>Open loop: seconds per transport and round.</summary>
    public int OpenLoopSeconds { get; init; } = 5;

    /// <summary>Rounds of every h2load phase, the transports alternating within each (sockets, interlude, ...).</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Connection per request: requests per transport and round; 0 skips both phases.</summary>
    public int ConnectionRequests { get; init; } = 5000;

    /// <summary>Connection per request: h2load clients, each with one connection at a time.</summary>
    public int ConnectionClients { get; init; } = 50;

    /// <summary>Whether the connection-per-request phase also runs over TLS.</summary>
    public bool Tls { get; init; } = true;

    /// <summary>Whether Interlude's loops accept on every loop (false: on the first loop only).</summary>
    public bool AcceptOnEveryLoop { get; init; } = true;

    /// <summary>
    /// A variant of Interlude's settings measured in the same h2load rounds as a third transport, for an interleaved
    /// A/B comparison: "no-pin" (loops not pinned), "pin" (pinned), "one-loop-accept", "every-loop-accept";
    /// null for none.
    /// </summary>
    public string? Variant { get; init; }

    /// <summary>The names of <see cref="Variant"/>.</summary>
    public static IReadOnlyList<string> Variants { get; } = ["no-pin", "pin", "one-loop-accept", "every-loop-accept"];

    /// <summary>These settings changed as <see cref="Variant"/> says; these settings themselves when there is none.</summary>
    public HttpBenchSettings ForVariant() => Variant switch
    {
        null => this,
        "no-pin" => this with { Pin = false },
        "pin" => this with { Pin = true },
        "one-loop-accept" => this with { AcceptOnEveryLoop = false },
        "every-loop-accept" => this with { AcceptOnEveryLoop = true },
        _ => throw new ArgumentOutOfRangeException(nameof(Variant), Variant, $"The variant must be one of {string.Join(", ", Variants)}."),
    };
}
