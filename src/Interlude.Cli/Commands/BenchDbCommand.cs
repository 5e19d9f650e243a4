using System.CommandLine;
using System.Globalization;
using Interlude.Harness.Db;
using Interlude.Harness.Tls;

namespace Interlude.Cli.Commands;

/// <summary>
/// Declares <c>interlude bench db</c>: the Fortunes sample (TechEmpower's MVC test types on PostgreSQL) on Kestrel
/// sockets and on Interlude, child processes side by side, every endpoint in alternating rounds under h2load.
/// </summary>
internal static class BenchDbCommand
{
    internal const string Notes = """
        Needs PostgreSQL with TechEmpower's hello_world database (scripts/install-postgres.sh) and h2load
        (scripts/install-h2load.sh). Both servers run the same app (samples/Fortunes, the hidden serve-db command)
        in child processes started once; in each round every endpoint is measured on each server, Kestrel sockets
        first in odd rounds and last in even ones. The figures are medians over the rounds; CPU is the server
        process's user + system time from /proc/PID/stat, context switches are its threads' voluntary + involuntary
        switches from /proc/PID/task/*/status, both per request. The load generator, the database and the servers
        share the machine's cores; nothing is pinned except Interlude's loops (one per core, as UseInterlude does).
        The Interlude servers run as a database-bound app is documented to run, with socket completions inline
        (--Interlude:InlineSocketCompletions=true, before the --server-arg and --variant-arg arguments, which can
        override it: --variant-arg=--Interlude:InlineSocketCompletions=false measures Interlude without it). The
        header prints the arguments each server got.
        """;

    internal static Command Create()
    {
        var endpoints = new Option<string>("--endpoints")
        {
            Description = "Comma-separated endpoints: " + string.Join(", ", DbEndpoint.All.Select(e => e.Name)) + ", or all.",
            DefaultValueFactory = _ => "plaintext,json,db,queries,fortunes",
        };
        Option<int> requests = NumericOption.Integer("--requests", "n", "Measured requests per endpoint, server and round (closed loop).", 20_000, 1, 100_000_000);
        requests.Aliases.Add("-n");
        Option<int> connections = NumericOption.Integer("--connections", "n", "h2load connections, one request in flight each.", 32, 1, 10_000);
        connections.Aliases.Add("-c");
        Option<int> rounds = NumericOption.Integer("--rounds", "n", "Rounds, the servers' order alternating.", 3, 1, 100);
        Option<int> warmup = NumericOption.Integer("--warmup", "n", "Warm-up requests before each closed-loop phase (not measured).", 2000, 0, 10_000_000);
        Option<double> openFraction = NumericOption.Real(
            "--open-fraction", "f", "Open loop (h2load --rps): offered rate as a fraction of Kestrel sockets' closed-loop rate in the same round; 0 skips it.", 0.5, 0, 10);
        Option<int> openSeconds = NumericOption.Integer("--open-seconds", "s", "Open loop: seconds per phase.", 3, 1, 3600);
        var connectionString = new Option<string?>("--connection-string") { Description = "Npgsql connection string (default: the database scripts/install-postgres.sh makes)." };
        var serverArgs = new Option<string[]>("--server-arg") { Description = "An extra argument for every server, after the Interlude servers' own --Interlude:InlineSocketCompletions=true, e.g. --server-arg=--Interlude:Loops:LoopCount=1 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var variantArgs = new Option<string[]>("--variant-arg") { Description = "Adds an interleaved Interlude variant with this extra argument, after the Interlude server's own, e.g. --variant-arg=--Interlude:InlineSocketCompletions=false (repeatable)." };
        var variantEnv = new Option<string[]>("--variant-env") { Description = "Adds an interleaved Interlude variant with this NAME=value in its environment (repeatable)." };
        Option<FileInfo?> json = OutputFile.Create("--json", "Write every phase, the medians and the ratios as JSON Lines to this file.");
        var installH2load = new Option<bool>("--install-h2load") { Description = "Install h2load first if it is missing (runs scripts/install-h2load.sh)." };

        var command = new Command(
            "db",
            "TechEmpower's MVC test types (plaintext, json, db, queries, fortunes, updates) on a real PostgreSQL: the same app on Kestrel "
            + "sockets and on Interlude, alternating rounds under h2load; prints requests/s, p50/p99, CPU and context switches per request, "
            + "and Interlude's ratio to Kestrel per endpoint.")
        {
            endpoints, requests, connections, rounds, warmup, openFraction, openSeconds, connectionString, serverArgs, variantArgs, variantEnv, json, installH2load,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            DbBenchSettings settings;
            try
            {
                settings = new DbBenchSettings(
                    DbEndpoint.Parse(parseResult.GetValue(endpoints)!),
                    parseResult.GetValue(requests),
                    parseResult.GetValue(connections),
                    parseResult.GetValue(rounds))
                {
                    WarmupRequests = parseResult.GetValue(warmup),
                    OpenLoopFraction = parseResult.GetValue(openFraction),
                    OpenLoopSeconds = parseResult.GetValue(openSeconds),
                    ConnectionString = parseResult.GetValue(connectionString),
                    ServerArguments = parseResult.GetValue(serverArgs) ?? [],
                    VariantArguments = parseResult.GetValue(variantArgs) ?? [],
                    VariantEnvironment = parseResult.GetValue(variantEnv) ?? [],
                };
                settings.Validate();
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }

            return await RunAsync(settings, parseResult.GetValue(installH2load), parseResult.GetValue(json), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(DbBenchSettings settings, bool installH2load, FileInfo? json, CancellationToken cancellationToken)
    {
        string? h2load = await H2load.FindOrInstallAsync(installH2load, cancellationToken).ConfigureAwait(false);
        if (h2load is null)
        {
            return 2;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"interlude bench db: {string.Join(", ", settings.Endpoints.Select(e => e.Path))}; h2load --h1 -c {settings.Connections} -m 1, "
            + $"{settings.Requests} requests per phase, {settings.Rounds} rounds, open loop at {settings.OpenLoopFraction} x Kestrel's rate; "
            + $"{Environment.ProcessorCount} cores, load average {LoadAverage()}"));
        Console.WriteLine("servers (besides --urls and the connection string):");
        foreach (DbServerSpec server in settings.Servers())
        {
            Console.WriteLine(server.Describe());
        }

        IReadOnlyList<DbPhase> phases;
        try
        {
            phases = await DbBench.RunAsync(settings, ServeDbCommand.ServerCommand(), h2load, Console.Out, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or FormatException)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            await Console.Error.WriteLineAsync("Is PostgreSQL running with the hello_world database? Run scripts/install-postgres.sh.").ConfigureAwait(false);
            return 1;
        }

        IReadOnlyList<DbSummary> rows = DbBenchReport.Summarize(phases);
        IReadOnlyList<DbRatio> ratios = DbBenchReport.Ratios(rows);
        Console.WriteLine();
        Console.Write(DbBenchReport.Text(rows, ratios));
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        if (json is { } file)
        {
            await using var writer = new StreamWriter(file.FullName);
            DbBenchReport.WriteJsonLines(writer, phases, rows, ratios);
            Console.WriteLine($"JSON Lines written to {file.FullName}");
        }

        return 0;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
