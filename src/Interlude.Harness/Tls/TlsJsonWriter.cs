using System.Text;
using System.Text.Json;
using Interlude.Harness.Reporting;

namespace Interlude.Harness.Tls;

/// <summary>
/// Writes <c>interlude bench tls</c>'s results as JSON Lines: one object per mode and configuration ("section":
/// "handshakes"), each carrying its configuration's engine capacity and ratios, then one per mode for the gateway
/// ("section": "gateway"). Figures that could not be measured are null. The file appears whole or not at all.
/// </summary>
public static class TlsJsonWriter
{
    public static void Write(FileInfo destination, IReadOnlyList<TlsConfigurationResult> results, IReadOnlyList<GatewayResult> gateway, TlsBenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(gateway);
        var lines = new List<string>();
        foreach (TlsConfigurationResult configuration in results)
        {
            foreach (TlsModeResult result in configuration.Results)
            {
                lines.Add(ToLine(configuration, result, settings));
            }
        }

        lines.AddRange(gateway.Select(g => ToLine(g, settings)));
        AtomicFile.Write(destination, writer =>
        {
            foreach (string line in lines)
            {
                writer.WriteLine(line);
            }
        });
    }

    /// <summary>One result's JSON object, on one line.</summary>
    public static string ToLine(TlsConfigurationResult configuration, TlsModeResult result, TlsBenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(settings);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("section", "handshakes");
            json.WriteString("configuration", configuration.Configuration.Name);
            json.WriteString("certificate", configuration.Configuration.Certificate);
            json.WriteString("tls_version", configuration.Configuration.TlsVersion);
            json.WriteString("mode", result.Mode);
            Text(json, "error", result.Error);

            json.WriteNumber("rounds", result.Rounds);
            json.WriteNumber("handshakes_per_round", settings.Handshakes);
            json.WriteNumber("clients", settings.Clients);
            json.WriteNumber("loop_core", settings.LoopCore);
            json.WriteNumber("engine_core", settings.EngineCore);
            json.WriteNumber("cores", Environment.ProcessorCount);
            json.WriteNumber("requests", result.Requests);
            json.WriteNumber("succeeded", result.Succeeded);
            json.WriteNumber("failed", result.Failed);
            Number(json, "handshakes_per_s", result.HandshakesPerSecond, 1);
            json.WriteNumber("server_handshakes", result.ServerHandshakes);
            Number(json, "wall_s", result.WallSeconds, 4);
            Number(json, "app_cpu_us_per_handshake", result.AppCpuUsPerHandshake, 2);
            Number(json, "engine_utilization", result.EngineUtilization ?? double.NaN, 4);
            Number(json, "h2load_cpu_utilization", result.LoadGeneratorUtilization ?? double.NaN, 4);
            Number(json, "handshake_p50_us", result.HandshakeP50Us, 1);
            Number(json, "handshake_p99_us", result.HandshakeP99Us, 1);
            json.WriteNumber("handshake_samples", result.HandshakeSamples);
            Number(json, "h2load_connect_mean_us", result.ConnectMeanUs, 1);
            Number(json, "keepalive_p50_us", result.ProbeP50Us, 1);
            Number(json, "keepalive_p99_us", result.ProbeP99Us, 1);
            Number(json, "keepalive_max_us", result.ProbeMaxUs, 1);
            json.WriteNumber("keepalive_requests", result.ProbeRequests);
            json.WriteNumber("keepalive_errors", result.ProbeErrors);
            json.WriteString("tls_protocol", result.TlsProtocol);
            json.WriteString("cipher", result.Cipher);
            Number(json, "engine_capacity_signatures_per_s", configuration.Capacity?.SignaturesPerSecond ?? double.NaN, 1);
            Number(json, "engine_capacity_busy", configuration.Capacity?.EngineBusy ?? double.NaN, 4);
            Number(json, "bcl_signatures_per_s", configuration.Capacity?.BclSignaturesPerSecond ?? double.NaN, 1);
            Number(json, "bcl_busy", configuration.Capacity?.BclBusy ?? double.NaN, 4);
            foreach (TlsRatio ratio in configuration.Ratios)
            {
                Number(json, "ratio_" + ratio.Name, ratio.Value, 4);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>One gateway result's JSON object, on one line.</summary>
    public static string ToLine(GatewayResult result, TlsBenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(settings);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("section", "gateway");
            json.WriteString("endpoint", "POST /tokens");
            json.WriteString("certificate", TlsCertificates.EcdsaP256);
            json.WriteString("tls_version", "1.3");
            json.WriteString("mode", result.Mode);
            Text(json, "error", result.Error);
            json.WriteNumber("clients", settings.GatewayClients);
            json.WriteNumber("loop_core", settings.LoopCore);
            json.WriteNumber("engine_core", settings.EngineCore);
            json.WriteNumber("cores", Environment.ProcessorCount);
            json.WriteNumber("requests", result.Requests);
            json.WriteNumber("succeeded", result.Succeeded);
            json.WriteNumber("failed", result.Failed);
            Number(json, "tokens_per_s", result.TokensPerSecond, 1);
            Number(json, "p50_us", result.P50Us, 1);
            Number(json, "p99_us", result.P99Us, 1);
            Number(json, "app_cpu_us_per_request", result.AppCpuUsPerRequest, 2);
            Number(json, "engine_utilization", result.EngineUtilization ?? double.NaN, 4);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, double value, int digits)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, digits));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
