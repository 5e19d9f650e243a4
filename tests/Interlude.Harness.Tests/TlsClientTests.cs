using System.Text;
using Interlude.Harness.Tests.Infrastructure;
using Interlude.Harness.Tls;
using Xunit;

namespace Interlude.Harness.Tests;

/// <summary>The probe's own TLS client: response heads, and full handshakes against the benchmark's server.</summary>
public sealed class TlsClientTests
{
    [Fact]
    public void A_response_head_gives_its_status_and_content_length()
    {
        byte[] head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\ncontent-length: 11\r\nContent-Type: text/plain\r\nServer: Kestrel");

        Assert.Equal((200, 11), TlsClient.ParseHead(head));
    }

    [Fact]
    public void A_chunked_response_is_refused_rather_than_misread()
    {
        byte[] head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked");

        Assert.Throws<InvalidDataException>(() => TlsClient.ParseHead(head));
    }

    [Fact]
    public async Task Every_sampled_connection_is_a_handshake_the_server_counts_and_the_probe_times_every_request()
    {
        using var certificate = TlsCertificates.Create(TlsCertificates.EcdsaP256);
        await using TlsServer server = await TlsServer.StartAsync(TlsModes.Software, new TlsConfiguration(TlsCertificates.EcdsaP256, "1.3"), certificate, 0, 0);

        using KeepAliveProbe probe = KeepAliveProbe.Start(server.Url, 2, TimeSpan.FromMilliseconds(1));
        probe.BeginRecording();
        long afterProbe = server.Handshakes;
        using (HandshakeSampler sampler = HandshakeSampler.Start(server.Url, TimeSpan.FromMilliseconds(1)))
        {
            sampler.BeginRecording();
            long deadline = Environment.TickCount64 + (long)Timeouts.BenchRun.TotalMilliseconds;
            while (server.Handshakes < afterProbe + 10 && Environment.TickCount64 < deadline)
            {
                await Task.Delay(10);
            }

            (var latencies, long errors) = sampler.Stop();
            Assert.Equal(0, errors);

            // The server completes a handshake a moment after the client does (the client's Finished comes last).
            while (server.Handshakes - afterProbe - 1 < latencies.Count && Environment.TickCount64 < deadline)
            {
                await Task.Delay(10);
            }

            // The sampler's first handshake checks the server and is not timed, nor is one begun before recording
            // began; every other one is a connection the server counted.
            long counted = server.Handshakes - afterProbe;
            Assert.InRange(latencies.Count, counted - 2, counted - 1);
            Assert.True(latencies.Count >= 8, $"{latencies.Count} handshakes timed");
        }

        (var requests, long probeErrors) = probe.Stop();
        Assert.Equal(2, afterProbe);
        Assert.Equal(0, probeErrors);
        Assert.True(requests.Count > 0);
    }
}
