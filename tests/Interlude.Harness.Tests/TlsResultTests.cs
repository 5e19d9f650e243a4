using Interlude.Harness.Tests.Infrastructure;
using Interlude.Harness.Tls;
using Xunit;

namespace Interlude.Harness.Tests;

/// <summary><c>bench tls</c>'s arithmetic: rounds combined into a mode's figures, and the ratios between modes.</summary>
public sealed class TlsResultTests
{
    [Fact]
    public void Rounds_combine_into_handshakes_per_second_over_h2load_time_and_app_cpu_over_server_handshakes()
    {
        TlsRound first = TlsSamples.Round(seconds: 2, succeeded: 2000, handshakes: 2050, processMs: 2600, engineMs: 1800, clientMs: 100, 100_000, 300_000);
        TlsRound second = TlsSamples.Round(seconds: 3, succeeded: 2000, handshakes: 2050, processMs: 2900, engineMs: 2200, clientMs: 100, 200_000);

        TlsModeResult result = TlsModeResult.From(TlsModes.OffloadAsync, TlsSamples.Rsa13, [first, second], hasEngine: true);

        Assert.Null(result.Error);
        Assert.Equal(2, result.Rounds);
        Assert.Equal(4000, result.Succeeded);
        Assert.Equal(4000.0 / 5, result.HandshakesPerSecond, 9);
        Assert.Equal(4100, result.ServerHandshakes);
        Assert.Equal((5500 - 4000 - 200) * 1000.0 / 4100, result.AppCpuUsPerHandshake, 6);
        Assert.Equal(4.0 / 5, result.EngineUtilization!.Value, 9);
        Assert.Equal(3, result.ProbeRequests);
        Assert.InRange(result.ProbeMaxUs, 299, 301);
        Assert.Equal(4, result.HandshakeSamples);
        Assert.Equal("TLSv1.3", result.TlsProtocol);
    }

    [Fact]
    public void A_mode_without_an_engine_has_no_engine_utilization()
    {
        TlsModeResult result = TlsModeResult.From(TlsModes.Software, TlsSamples.Rsa13, [TlsSamples.Round(1, 100, 100, 100, 0, 5, 1000)], hasEngine: false);

        Assert.Null(result.EngineUtilization);
    }

    [Fact]
    public void The_load_generators_cpu_over_the_wall_time_is_its_utilization_and_unknown_if_any_round_lacks_it()
    {
        TlsRound first = TlsSamples.Round(seconds: 2, succeeded: 2000, handshakes: 2000, processMs: 2000, engineMs: 0, clientMs: 0, 1000) with
        {
            WallSeconds = 2,
            LoadGeneratorCpu = TimeSpan.FromSeconds(1.5),
        };
        TlsRound second = first with { WallSeconds = 3, LoadGeneratorCpu = TimeSpan.FromSeconds(3) };

        TlsModeResult measured = TlsModeResult.From(TlsModes.Software, TlsSamples.Rsa13, [first, second], hasEngine: false);
        TlsModeResult unknown = TlsModeResult.From(TlsModes.Software, TlsSamples.Rsa13, [first, second with { LoadGeneratorCpu = null }], hasEngine: false);

        Assert.Equal(4.5 / 5, measured.LoadGeneratorUtilization!.Value, 9);
        Assert.Null(unknown.LoadGeneratorUtilization);
    }

    [Fact]
    public void A_mode_with_no_rounds_is_a_failure_not_zeros()
    {
        TlsModeResult result = TlsModeResult.From(TlsModes.Software, TlsSamples.Rsa13, [], hasEngine: false);

        Assert.NotNull(result.Error);
        Assert.True(double.IsNaN(result.HandshakesPerSecond));
    }

    [Fact]
    public void The_ratios_divide_the_figures_they_name()
    {
        IReadOnlyList<TlsRatio> ratios = TlsSamples.Configuration(capacity: 4000).Ratios;

        Assert.Equal(["async_to_capacity", "async_to_sync", "async_to_software_cpu", "async_to_software_probe_p99"], ratios.Select(r => r.Name));
        Assert.Equal(3600.0 / 4000, ratios[0].Value, 9);
        Assert.Equal(3600.0 / 1200, ratios[1].Value, 9);
        Assert.Equal(250.0 / 1000, ratios[2].Value, 9);
        Assert.Equal(1_000.0 / 10_000, ratios[3].Value, 9);
        Assert.All(ratios, r => Assert.True(r.Met));
    }

    [Fact]
    public void A_ratio_meets_its_target_only_on_the_right_side()
    {
        Assert.False(new TlsRatio("a", "a", 0.84, 0.85, AtLeast: true).Met);
        Assert.True(new TlsRatio("a", "a", 0.85, 0.85, AtLeast: true).Met);
        Assert.False(new TlsRatio("b", "b", 0.51, 0.5, AtLeast: false).Met);
        Assert.True(new TlsRatio("b", "b", 0.5, 0.5, AtLeast: false).Met);
    }

    [Fact]
    public void A_missing_side_gives_no_value_rather_than_a_ratio()
    {
        TlsConfigurationResult configuration = TlsSamples.Configuration() with
        {
            Capacity = null,
            Results = [TlsModeResult.Failure(TlsModes.OffloadAsync, TlsSamples.Rsa13, "failed"), TlsSamples.Result(TlsModes.Software, 1000, 1000, 10_000)],
        };

        Assert.All(configuration.Ratios, r =>
        {
            Assert.True(double.IsNaN(r.Value));
            Assert.Null(r.Met);
        });
    }

    [Fact]
    public void Configurations_cover_every_certificate_and_version_and_name_the_server_protocol()
    {
        IReadOnlyList<TlsConfiguration> all = TlsConfiguration.All(TlsCertificates.All, TlsConfiguration.Versions);

        Assert.Equal(["rsa2048/tls1.3", "rsa2048/tls1.2", "ecdsa-p256/tls1.3", "ecdsa-p256/tls1.2"], all.Select(c => c.Name));
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls13, all[0].Protocols);
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls12, all[1].Protocols);
    }
}
