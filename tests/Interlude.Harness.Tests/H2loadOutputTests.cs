using Interlude.Harness.Tests.Infrastructure;
using Interlude.Harness.Tls;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class H2loadOutputTests
{
    [Fact]
    public void Bashs_times_report_after_h2load_gives_the_childrens_cpu_and_leaves_h2loads_own_errors()
    {
        TimeSpan? cpu = H2load.ParseChildTimes("warning: something\n0m0.002s 0m0.001s\n1m2.500s 0m0.750s\n", out string rest);

        Assert.Equal(TimeSpan.FromSeconds(63.25), cpu);
        Assert.Equal("warning: something\n", rest);
    }

    [Fact]
    public void Without_a_times_report_the_cpu_is_unknown_and_the_text_is_kept()
    {
        const string Text = "h2load: connection refused\n";

        Assert.Null(H2load.ParseChildTimes(Text, out string rest));
        Assert.Equal(Text, rest);
        Assert.Null(H2load.ParseChildTimes("0m0.002s 0m0.001s\nnot a time\n", out _));
    }

    [Fact]
    public void A_handshake_storm_reads_as_requests_per_second_counts_and_connect_times()
    {
        H2loadResult result = H2loadOutput.Parse(H2loadFixtures.Rsa2048Tls13);

        Assert.Equal(1.77, result.FinishedSeconds, 6);
        Assert.Equal(169.52, result.RequestsPerSecond);
        Assert.Equal(300, result.Requests);
        Assert.Equal(300, result.Succeeded);
        Assert.Equal(0, result.Failed);
        Assert.Equal(0, result.Errored);
        Assert.Equal(0, result.TimedOut);
        Assert.Equal(300, result.Status2xx);
        Assert.Equal(35_390, result.ConnectMeanUs, 6);
        Assert.Equal(69_720, result.ConnectMaxUs, 6);
        Assert.Equal(51_220, result.FirstByteMeanUs, 6);
        Assert.Equal("TLSv1.3", result.TlsProtocol);
        Assert.Equal("TLS_AES_256_GCM_SHA384", result.Cipher);
        Assert.Equal("X25519 253 bits", result.ServerTempKey);
    }

    [Fact]
    public void Tls12_names_its_cipher_suite_the_OpenSSL_way()
    {
        H2loadResult result = H2loadOutput.Parse(H2loadFixtures.EcdsaP256Tls12);

        Assert.Equal("TLSv1.2", result.TlsProtocol);
        Assert.Equal("ECDHE-ECDSA-AES256-GCM-SHA384", result.Cipher);
        Assert.Equal(220.97, result.RequestsPerSecond);
        Assert.Equal(1.36, result.FinishedSeconds, 6);
        Assert.Equal(9_490, result.ConnectMeanUs, 6);
    }

    [Fact]
    public void Failed_requests_are_counted_and_a_millisecond_run_reads_in_seconds()
    {
        H2loadResult result = H2loadOutput.Parse(H2loadFixtures.KeptOpen);

        Assert.Equal(0.05327, result.FinishedSeconds, 9);
        Assert.Equal(100, result.Requests);
        Assert.Equal(4, result.Succeeded);
        Assert.Equal(96, result.Failed);
        Assert.Equal(96, result.Errored);
        Assert.Equal(4, result.Status2xx);
    }

    [Theory]
    [InlineData("0us", 0)]
    [InlineData("394us", 394)]
    [InlineData("4.22ms", 4_220)]
    [InlineData("1.05s", 1_050_000)]
    [InlineData("2m", 120_000_000)]
    public void Durations_are_read_in_microseconds(string text, double expected)
    {
        Assert.Equal(expected, H2loadOutput.DurationUs(text), 6);
    }

    [Fact]
    public void Output_without_a_summary_is_rejected()
    {
        Assert.Throws<FormatException>(() => H2loadOutput.Parse("connect: Connection refused\nfinished in 1.00ms, 0.00 req/s"));
    }

    [Fact]
    public void The_arguments_ask_for_one_request_per_connection_over_http11()
    {
        IReadOnlyList<string> arguments = H2load.Arguments(new Uri("https://127.0.0.1:5001/hello"), 2000, 32, 4);

        Assert.Equal(
            ["--h1", "-n", "2000", "-c", "32", "-t", "4", "-m", "1", "-H", "Connection: close", "https://127.0.0.1:5001/hello"],
            arguments);
    }

    [Fact]
    public void H2load_never_gets_more_threads_than_clients_nor_fewer_handshakes_than_clients()
    {
        IReadOnlyList<string> arguments = H2load.Arguments(new Uri("https://127.0.0.1:1/"), 10, 2, 8);

        Assert.Equal("-t", arguments[5]);
        Assert.Equal("2", arguments[6]);
        Assert.Throws<ArgumentOutOfRangeException>(() => H2load.Arguments(new Uri("https://127.0.0.1:1/"), 4, 8, 1));
    }
}
