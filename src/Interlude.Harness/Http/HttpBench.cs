using System.Text;
using System.Text.Json;
using Interlude.AspNetCore;
using Interlude.Harness.Reporting;

namespace Interlude.Harness.Http;

/// <summary>
/// <c>interlude bench http</c>'s measurement: wrk against the plaintext endpoint of one stock ASP.NET Core app
/// in this process, on Kestrel's socket transport or on Interlude, and the JSON of both results.
/// </summary>
public static class HttpBench
{
    /// <summary>Starts the app on one transport, warms it up, measures it with wrk, and stops it.</summary>
    /// <param name="name">The transport's name in the result, for example "sockets".</param>
    /// <param name="wrk">The wrk executable.</param>
    /// <param name="interlude">Whether the app runs on Interlude's transport.</param>
    public static async Task<WrkResult> MeasureAsync(string name, string wrk, HttpBenchSettings settings, bool interlude, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using PlaintextServer server = await PlaintextServer.StartAsync(interlude, options => Configure(options, settings)).ConfigureAwait(false);
        if (settings.Warmup > 0)
        {
            await Wrk.RunAsync(wrk, server.Url, settings.Threads, settings.Connections, settings.Warmup, cancellationToken).ConfigureAwait(false);
        }

        string output = await Wrk.RunAsync(wrk, server.Url, settings.Threads, settings.Connections, settings.Duration, cancellationToken).ConfigureAwait(false);
        return WrkOutput.Parse(name, output);
    }

    /// <summary>The Interlude transport's options for <paramref name="settings"/>.</summary>
    public static void Configure(InterludeTransportOptions options, HttpBenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        options.AcceptOnEveryLoop = settings.AcceptOnEveryLoop;
        options.Loops = new LoopGroupOptions
        {
            LoopCount = settings.Loops,
            WaitStrategy = settings.Wait,
            PinThreads = settings.Pin,
            StallThreshold = TimeSpan.Zero,
        };
    }

    /// <summary>Writes both results and the ratio of their throughputs as one indented JSON object, whole or not at all.</summary>
    public static void WriteJson(FileInfo destination, HttpBenchSettings settings, WrkResult sockets, WrkResult interlude, double ratio, IReadOnlyList<HttpLoadResult> loads)
    {
        string json = ToJson(settings, sockets, interlude, ratio, loads);
        AtomicFile.Write(destination, writer => writer.Write(json));
    }

    private static string ToJson(HttpBenchSettings settings, WrkResult sockets, WrkResult interlude, double ratio, IReadOnlyList<HttpLoadResult> loads)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("threads", settings.Threads);
            writer.WriteNumber("connections", settings.Connections);
            writer.WriteNumber("durationSeconds", settings.Duration);
            writer.WriteNumber("cores", Environment.ProcessorCount);
            writer.WriteStartArray("results");
            foreach (WrkResult r in new[] { sockets, interlude })
            {
                writer.WriteStartObject();
                writer.WriteString("transport", r.Transport);
                writer.WriteNumber("requestsPerSecond", r.RequestsPerSecond);
                writer.WriteNumber("requests", r.Requests);
                WriteLatency(writer, "latencyP50Us", r.LatencyP50Us);
                WriteLatency(writer, "latencyP75Us", r.LatencyP75Us);
                WriteLatency(writer, "latencyP90Us", r.LatencyP90Us);
                WriteLatency(writer, "latencyP99Us", r.LatencyP99Us);
                writer.WriteNumber("socketErrors", r.SocketErrors);
                writer.WriteNumber("non2xx", r.Non2xx);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("ratioInterludeToSockets", ratio);
            writer.WriteStartArray("h2load");
            foreach (HttpLoadResult r in loads)
            {
                writer.WriteStartObject();
                writer.WriteString("phase", r.Phase.ToString());
                writer.WriteString("transport", r.Transport);
                WriteLatency(writer, "offeredRate", r.OfferedRate);
                writer.WriteNumber("requestsPerSecond", r.RequestsPerSecond);
                writer.WriteNumber("requests", r.Requests);
                writer.WriteNumber("failed", r.Failed);
                WriteLatency(writer, "latencyP50Us", r.P50Us);
                WriteLatency(writer, "latencyP99Us", r.P99Us);
                WriteLatency(writer, "latencyP999Us", r.P999Us);
                WriteLatency(writer, "connectMeanUs", r.ConnectMeanUs);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    private static void WriteLatency(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsNaN(value))
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteNumber(name, value);
        }
    }
}
