using Interlude.Harness.Http;
using Interlude.Harness.Tls;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class HttpLoadArgumentsTests
{
    private static readonly Uri s_url = new("http://127.0.0.1:5000/plaintext");

    [Fact]
    public void A_connection_per_request_asks_the_server_to_close_and_logs_every_request()
    {
        IReadOnlyList<string> arguments = H2load.GetArguments(s_url, 5000, 50, 1, connectionPerRequest: true, "/tmp/r.log");

        Assert.Equal(
            ["--h1", "-n", "5000", "-c", "50", "-t", "1", "-m", "1", "-H", "Connection: close", "--log-file", "/tmp/r.log", s_url.ToString()],
            arguments);
    }

    [Fact]
    public void Kept_alive_connections_send_no_close_header()
    {
        IReadOnlyList<string> arguments = H2load.GetArguments(s_url, 100, 64, 4, connectionPerRequest: false, "/tmp/r.log");

        Assert.DoesNotContain("Connection: close", arguments);
        Assert.Equal("4", arguments[arguments.ToList().IndexOf("-t") + 1]);
        Assert.Equal(s_url.ToString(), arguments[^1]);
    }

    [Fact]
    public void An_open_loop_gives_each_connection_its_share_of_the_rate_and_staggers_their_starts()
    {
        IReadOnlyList<string> kept = H2load.GetArguments(s_url, 60_000, 64, 1, connectionPerRequest: false, "/tmp/r.log");

        IReadOnlyList<string> open = H2load.AtRate(kept, 64, 12_800);

        Assert.Equal([.. kept.Take(kept.Count - 1), "--rps", "200", "-r", "1", "--rate-period", "1ms", s_url.ToString()], open);
        Assert.Contains("--rate-period", H2load.AtRate(kept, 64, 10));
        Assert.Equal("100ms", H2load.AtRate(kept, 64, 10)[^2]);
    }

    [Fact]
    public void A_variant_changes_one_setting_and_an_unknown_one_is_refused_by_name()
    {
        var settings = new HttpBenchSettings(2, 64, 5, 2, null, WaitStrategy.Block, Pin: true);

        Assert.False((settings with { Variant = "no-pin" }).ForVariant().Pin);
        Assert.False((settings with { Variant = "one-loop-accept" }).ForVariant().AcceptOnEveryLoop);
        Assert.Same(settings, settings.ForVariant());
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => (settings with { Variant = "fast" }).ForVariant());
        Assert.Equal("Variant", error.ParamName);
    }
}
