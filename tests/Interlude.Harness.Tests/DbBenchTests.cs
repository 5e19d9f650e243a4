using Interlude.Harness.Db;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Interlude.Harness.Tests;

/// <summary>bench db's arguments, medians, ratios and report on fixed inputs.</summary>
public sealed class DbBenchTests
{
    [Fact]
    public void Endpoints_parse_in_the_given_order_once_each()
    {
        Assert.Equal(["fortunes", "db"], DbEndpoint.Parse("fortunes, db,fortunes").Select(e => e.Name));
        Assert.Equal(DbEndpoint.All, DbEndpoint.Parse("all"));
        Assert.Equal(["db", "plaintext", "json", "queries", "fortunes", "updates"], DbEndpoint.Parse("db,all").Select(e => e.Name));
        Assert.Equal("/queries?queries=20", DbEndpoint.Parse("queries")[0].Path);
        Assert.Contains("'dbx' is not an endpoint", Assert.Throws<ArgumentException>(() => DbEndpoint.Parse("db,dbx")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DbEndpoint.Parse(" , "));
    }

    [Fact]
    public void Settings_refuse_what_cannot_run()
    {
        IReadOnlyList<DbEndpoint> db = DbEndpoint.Parse("db");
        new DbBenchSettings(db, 100, 10, 1).Validate();
        Assert.Throws<ArgumentException>(() => new DbBenchSettings(db, 5, 10, 1).Validate());
        Assert.Throws<ArgumentException>(() => new DbBenchSettings(db, 100, 10, 0).Validate());
        Assert.Throws<ArgumentException>(() => new DbBenchSettings([], 100, 10, 1).Validate());
        Assert.Throws<ArgumentException>(() => new DbBenchSettings(db, 100, 10, 1) { OpenLoopFraction = double.NaN }.Validate());
        Assert.Throws<ArgumentException>(() => new DbBenchSettings(db, 100, 10, 1) { VariantEnvironment = ["NOEQUALS"] }.Validate());
        Assert.Throws<ArgumentException>(() => new DbBenchSettings(db, 100, 10, 1) { VariantEnvironment = ["=1"] }.Validate());
        Assert.True(new DbBenchSettings(db, 100, 10, 1) { VariantEnvironment = ["A=1"] }.HasVariant);
        Assert.False(new DbBenchSettings(db, 100, 10, 1).HasVariant);
    }

    [Fact]
    public void Rounds_alternate_which_server_goes_first()
    {
        string[] servers = ["kestrel-sockets", "interlude", "interlude-variant"];
        Assert.Equal(servers, DbBench.Order(servers, 1));
        Assert.Equal(["interlude-variant", "interlude", "kestrel-sockets"], DbBench.Order(servers, 2));
        Assert.Equal(servers, DbBench.Order(servers, 3));
    }

    [Fact]
    public void The_open_loop_offers_a_fraction_of_kestrels_rate()
    {
        Assert.Equal(1500, DbBench.OfferedRate(3000, 0.5));
        Assert.Equal(1, DbBench.OfferedRate(0.4, 0.5));
    }

    [Fact]
    public void The_server_command_carries_transport_address_database_and_extras_in_order()
    {
        Assert.Equal(
            ["dotnet", "cli.dll", "serve-db", "--transport", "interlude", "--urls", "http://127.0.0.1:5000", "--ConnectionStrings:hello_world", "Host=x", "--Interlude:Loops:LoopCount=1"],
            DbServer.Arguments(["dotnet", "cli.dll", "serve-db"], "interlude", 5000, "Host=x", ["--Interlude:Loops:LoopCount=1"]));
        Assert.Equal(
            ["app", "--transport", "sockets", "--urls", "http://127.0.0.1:1"],
            DbServer.Arguments(["app"], "sockets", 1, null, []));
    }

    [Fact]
    public void Interlude_servers_run_with_inline_socket_completions_unless_a_later_argument_says_otherwise()
    {
        IReadOnlyList<DbEndpoint> db = DbEndpoint.Parse("db");
        IReadOnlyList<DbServerSpec> servers = new DbBenchSettings(db, 100, 10, 1)
        {
            ServerArguments = ["--Interlude:Loops:LoopCount=1"],
            VariantArguments = ["--Interlude:InlineSocketCompletions=false"],
            VariantEnvironment = ["A=1"],
        }.Servers();

        Assert.Equal(["kestrel-sockets", "interlude", "interlude-variant"], servers.Select(s => s.Name));
        Assert.Equal(["sockets", "interlude", "interlude"], servers.Select(s => s.Transport));
        Assert.Equal(["--Interlude:Loops:LoopCount=1"], servers[0].Arguments);
        Assert.Equal(["--Interlude:InlineSocketCompletions=true", "--Interlude:Loops:LoopCount=1"], servers[1].Arguments);
        Assert.Equal(["--Interlude:InlineSocketCompletions=true", "--Interlude:Loops:LoopCount=1", "--Interlude:InlineSocketCompletions=false"], servers[2].Arguments);
        Assert.Empty(servers[0].Environment);
        Assert.Empty(servers[1].Environment);
        Assert.Equal(["A=1"], servers[2].Environment);
        Assert.Equal(
            "  interlude-variant --transport interlude --Interlude:InlineSocketCompletions=true --Interlude:Loops:LoopCount=1 --Interlude:InlineSocketCompletions=false; environment A=1",
            servers[2].Describe());

        // Without a variant there are two servers, and the command line's last value of a key is the one the app binds.
        IReadOnlyList<DbServerSpec> two = new DbBenchSettings(db, 100, 10, 1).Servers();
        Assert.Equal(2, two.Count);
        Assert.Equal("  interlude         --transport interlude --Interlude:InlineSocketCompletions=true", two[1].Describe());
        IConfiguration configuration = new ConfigurationBuilder().AddCommandLine([.. servers[2].Arguments]).Build();
        Assert.Equal("false", configuration["Interlude:InlineSocketCompletions"]);
    }

    [Fact]
    public void Medians_take_the_middle_or_the_mean_of_the_middle_two()
    {
        Assert.Equal(3, DbBenchReport.Median([10, 1, 3]));
        Assert.Equal(3.5, DbBenchReport.Median([4, 1, 3, 100]));
        Assert.Equal(7, DbBenchReport.Median([double.NaN, 7]));
        Assert.True(double.IsNaN(DbBenchReport.Median([])));
    }

    [Fact]
    public void Ratios_divide_medians_per_endpoint_and_say_whether_the_target_is_met()
    {
        DbPhase[] phases =
        [
            Phase("kestrel-sockets", "db", "closed", 1, 1000, p99: 900),
            Phase("interlude", "db", "closed", 1, 1100, p99: 800),
            Phase("kestrel-sockets", "db", "closed", 2, 3000, p99: 900),
            Phase("interlude", "db", "closed", 2, 900, p99: 800),
            Phase("kestrel-sockets", "db", "closed", 3, 1200, p99: 900),
            Phase("interlude", "db", "closed", 3, 1260, p99: 800),
            Phase("kestrel-sockets", "fortunes", "closed", 1, 1000, p99: 900),
            Phase("interlude", "fortunes", "closed", 1, 990, p99: 800),
            Phase("kestrel-sockets", "fortunes", "open", 1, 500, p99: 1000),
            Phase("interlude", "fortunes", "open", 1, 500, p99: 1100),
        ];

        IReadOnlyList<DbSummary> rows = DbBenchReport.Summarize(phases);
        Assert.Equal(6, rows.Count);
        DbSummary kestrelDb = rows.Single(r => r.Server == "kestrel-sockets" && r.Endpoint == "db");
        Assert.Equal(3, kestrelDb.Rounds);
        Assert.Equal(1200, kestrelDb.RequestsPerSecond);

        IReadOnlyList<DbRatio> ratios = DbBenchReport.Ratios(rows);
        Assert.Equal(3, ratios.Count);

        // db: median 1100 over median 1200 (not the median of the per-round ratios).
        DbRatio db = ratios.Single(r => r.Endpoint == "db");
        Assert.Equal(1100.0 / 1200, db.Value, 9);
        Assert.False(db.Met);
        DbRatio fortunes = ratios.Single(r => r.Endpoint == "fortunes" && r.Load == "closed");
        Assert.Equal(0.99, fortunes.Value, 9);
        Assert.False(fortunes.Met);
        DbRatio openP99 = ratios.Single(r => r.Load == "open");
        Assert.Equal("p99", openP99.Measure);
        Assert.Equal(1.1, openP99.Value, 9);
        Assert.False(openP99.Met);

        Assert.True(new DbRatio("db", "closed", "requests/s", "interlude", "kestrel-sockets", 1.0, 1.0, AtLeast: true).Met);
        Assert.True(new DbRatio("db", "open", "p99", "interlude", "kestrel-sockets", 0.7, 1.0, AtLeast: false).Met);
        Assert.False(new DbRatio("db", "closed", "requests/s", "interlude", "kestrel-sockets", double.NaN, 1.0, AtLeast: true).Met);
    }

    [Fact]
    public void A_variant_is_compared_with_both_kestrel_and_interlude()
    {
        IReadOnlyList<DbSummary> rows = DbBenchReport.Summarize(
        [
            Phase("kestrel-sockets", "db", "closed", 1, 1000),
            Phase("interlude", "db", "closed", 1, 800),
            Phase("interlude-variant", "db", "closed", 1, 1200),
        ]);
        IReadOnlyList<DbRatio> ratios = DbBenchReport.Ratios(rows);
        Assert.Equal(
            [("interlude", "kestrel-sockets", 0.8, false), ("interlude-variant", "kestrel-sockets", 1.2, true), ("interlude-variant", "interlude", 1.5, true)],
            ratios.Select(r => (r.Numerator, r.Denominator, Math.Round(r.Value, 6), r.Met)));
    }

    [Fact]
    public void The_report_prints_each_row_and_each_ratio_with_its_verdict()
    {
        DbPhase[] phases = [Phase("kestrel-sockets", "db", "closed", 1, 1000), Phase("interlude", "db", "closed", 1, 1234)];
        IReadOnlyList<DbSummary> rows = DbBenchReport.Summarize(phases);
        string text = DbBenchReport.Text(rows, DbBenchReport.Ratios(rows));
        Assert.Contains("db         closed kestrel-sockets        1         -     1000      0", text, StringComparison.Ordinal);
        Assert.Contains("db         closed interlude              1         -     1234      0", text, StringComparison.Ordinal);
        Assert.Contains("db (closed loop): interlude / kestrel-sockets requests/s", text, StringComparison.Ordinal);
        Assert.Contains("1.234  (target >= 1.0: met)", text, StringComparison.Ordinal);

        var json = new StringWriter();
        DbBenchReport.WriteJsonLines(json, phases, rows, DbBenchReport.Ratios(rows));
        string[] lines = json.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("{\"bench\":\"db\",\"kind\":", l, StringComparison.Ordinal));
        using var ratio = System.Text.Json.JsonDocument.Parse(lines[^1]);
        Assert.Equal("ratio", ratio.RootElement.GetProperty("kind").GetString());
        Assert.Equal(1.234, ratio.RootElement.GetProperty("value").GetDouble(), 9);
        Assert.True(ratio.RootElement.GetProperty("met").GetBoolean());
    }

    [Fact]
    public void Proc_files_give_cpu_seconds_and_context_switches()
    {
        // A command name with spaces and a parenthesis, as /proc allows; utime 250 and stime 50 ticks.
        const string stat = "4242 (dotnet (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 12 0 100 0 0";
        Assert.Equal(3.0, ProcessUsage.CpuFromStat(stat), 9);
        const string status = "Name:\tdotnet\nvoluntary_ctxt_switches:\t120\nnonvoluntary_ctxt_switches:\t7\n";
        Assert.Equal(127, ProcessUsage.SwitchesFromStatus(status));

        // Thread 1 went from 20 to 30, thread 2 ended (its 50 are gone, not subtracted), thread 3 started with 4.
        var before = new ProcessUsage(2.5, new Dictionary<int, long> { [1] = 20, [2] = 50 });
        var after = new ProcessUsage(4, new Dictionary<int, long> { [1] = 30, [3] = 4 });
        Assert.Equal((1.5, 14L), ProcessUsage.Between(before, after));
    }

    [Fact]
    public void This_process_usage_grows_as_it_works()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        ProcessUsage before = ProcessUsage.Read(Environment.ProcessId);
        double spin = 0;
        var until = DateTime.UtcNow.AddMilliseconds(300);
        while (DateTime.UtcNow < until)
        {
            spin += Math.Sqrt(spin + 1);
        }

        Thread.Sleep(20);
        (double cpu, long switches) = ProcessUsage.Between(before, ProcessUsage.Read(Environment.ProcessId));
        Assert.True(cpu > 0, $"no CPU time counted ({spin})");
        Assert.True(switches > 0);
    }

    private static DbPhase Phase(string server, string endpoint, string load, int round, double rps, double p99 = 100)
        => new(server, endpoint, load, round, load == "open" ? rps : 0, rps, 100, 0, 50, p99, 10, 1);
}
