namespace Interlude.Harness.Db;

/// <summary>What <c>interlude bench db</c> runs.</summary>
/// <param name="Endpoints">The endpoints measured, each in every round.</param>
/// <param name="Requests">Measured requests per endpoint, transport and round (closed loop).</param>
/// <param name="Connections">h2load connections, one request in flight on each.</param>
/// <param name="Rounds">Rounds; in each, every endpoint is measured on every transport, the order of the transports alternating.</param>
public sealed record DbBenchSettings(IReadOnlyList<DbEndpoint> Endpoints, int Requests, int Connections, int Rounds)
{
    /// <summary>Requests per endpoint and transport before each measured closed-loop phase, not counted.</summary>
    public int WarmupRequests { get; init; } = 1000;

    /// <summary>h2load threads.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// The open loop's offered rate, as a fraction of Kestrel sockets' closed-loop requests/s on the same endpoint in
    /// the same round (h2load --rps); 0 leaves the open loop out.
    /// </summary>
    public double OpenLoopFraction { get; init; } = 0.5;

    /// <summary>Seconds per open-loop phase.</summary>
    public int OpenLoopSeconds { get; init; } = 3;

    /// <summary>The database, as an Npgsql connection string; null uses the app's default (scripts/install-postgres.sh's database).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>
    /// Arguments the Interlude servers (and the variant) get before <see cref="ServerArguments"/>: the documented
    /// configuration of a database-bound app on Interlude, socket completions inline
    /// (<c>InterludeTransportOptions.InlineSocketCompletions</c>). A later argument of the same key overrides it,
    /// such as <c>--Interlude:InlineSocketCompletions=false</c> in <see cref="ServerArguments"/> or <see cref="VariantArguments"/>.
    /// </summary>
    public IReadOnlyList<string> InterludeArguments { get; init; } = ["--Interlude:InlineSocketCompletions=true"];

    /// <summary>Extra arguments for every server (for example <c>--Interlude:Loops:LoopCount=1</c>; Kestrel ignores what is not its own).</summary>
    public IReadOnlyList<string> ServerArguments { get; init; } = [];

    /// <summary>
    /// A third server, measured in the same rounds: Interlude with these extra arguments after its own (an
    /// interleaved A/B of one setting); empty leaves it out.
    /// </summary>
    public IReadOnlyList<string> VariantArguments { get; init; } = [];

    /// <summary>Environment variables (NAME=value) set for the variant server only.</summary>
    public IReadOnlyList<string> VariantEnvironment { get; init; } = [];

    /// <summary>Whether a variant server is measured.</summary>
    public bool HasVariant => VariantArguments.Count > 0 || VariantEnvironment.Count > 0;

    /// <summary>
    /// The servers, in their first round's order: Kestrel sockets with <see cref="ServerArguments"/>; Interlude with
    /// <see cref="InterludeArguments"/> then <see cref="ServerArguments"/>; and, when there is one, the variant with
    /// those then <see cref="VariantArguments"/>, in <see cref="VariantEnvironment"/>.
    /// </summary>
    public IReadOnlyList<DbServerSpec> Servers()
    {
        var servers = new List<DbServerSpec>
        {
            new(DbBenchReport.Kestrel, "sockets", ServerArguments, []),
            new(DbBenchReport.Interlude, "interlude", [.. InterludeArguments, .. ServerArguments], []),
        };
        if (HasVariant)
        {
            servers.Add(new(DbBenchReport.Variant, "interlude", [.. InterludeArguments, .. ServerArguments, .. VariantArguments], VariantEnvironment));
        }

        return servers;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming what is out of range.</summary>
    public void Validate()
    {
        if (Endpoints.Count == 0)
        {
            throw new ArgumentException("No endpoint to measure.");
        }

        if (Connections < 1 || Requests < Connections || Rounds < 1 || WarmupRequests < 0 || Threads < 1)
        {
            throw new ArgumentException($"Need connections >= 1, requests >= connections, rounds >= 1, warm-up >= 0 and threads >= 1 (got {Connections}, {Requests}, {Rounds}, {WarmupRequests}, {Threads}).");
        }

        if (OpenLoopFraction is < 0 or > 10 || double.IsNaN(OpenLoopFraction) || OpenLoopSeconds < 1)
        {
            throw new ArgumentException($"The open loop's fraction must be in [0, 10] and its seconds >= 1 (got {OpenLoopFraction}, {OpenLoopSeconds}).");
        }

        foreach (string variable in VariantEnvironment)
        {
            if (variable.IndexOf('=', StringComparison.Ordinal) <= 0)
            {
                throw new ArgumentException($"'{variable}' is not NAME=value.");
            }
        }
    }
}
