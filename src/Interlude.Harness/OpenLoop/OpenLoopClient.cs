using System.Diagnostics;
using System.Net.Http.Headers;

namespace Interlude.Harness.OpenLoop;

/// <summary>
/// An open-loop HTTP/1.1 client: every request is sent at its scheduled time (<see cref="ArrivalSchedule"/>), whether
/// or not earlier ones have been answered, over a pool of up to <see cref="OpenLoopClientSettings.Connections"/>
/// kept-alive connections. Latency runs from the scheduled time, so a request that waits (for a connection, or behind
/// a stalled server) is charged its wait: the coordinated omission of a client that sends only when answered is not
/// hidden. A thread of its own paces the sends: it sleeps until about a millisecond before each send time and yields
/// for the rest, so sends are late by microseconds rather than a timer tick. <c>interlude bench infer</c> runs it in a
/// process of its own (the hidden <c>interlude load</c> command), so its CPU is not the server's.
/// </summary>
public static class OpenLoopClient
{
    public static async Task<OpenLoopClientResult> RunAsync(OpenLoopClientSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Connections);
        long[] schedule = ArrivalSchedule.Create(settings.Arrivals, settings.Rate, settings.Requests, settings.Seed);
        int count = schedule.Length;
        // Element i of statuses and latencies is written once, by request i's send; all are read after every send has
        // finished (Task.WhenAll). sends is written by the pacing thread and read after it has been joined.
        var statuses = new int[count];
        var latencies = new long[count];
        var sends = new Task[count];
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.Connections,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        };
        using var client = new HttpClient(handler) { Timeout = settings.Timeout };
        var contentType = MediaTypeHeaderValue.Parse(settings.ContentType);

        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        long start = Stopwatch.GetTimestamp();
        var pacer = new Thread(() =>
        {
            for (int i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
            {
                long due = start + ToTimestamp(schedule[i]);
                WaitUntil(due);
                int index = i;
                sends[i] = Task.Run(() => SendAsync(client, settings, contentType, due, index, statuses, latencies, cancellationToken), CancellationToken.None);
            }
        })
        {
            IsBackground = true,
            Name = "open-loop pacer",
        };
        pacer.Start();
        await Task.Run(() => pacer.Join(), CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        await Task.WhenAll(sends).ConfigureAwait(false);
        return new OpenLoopClientResult(startedAt, schedule, statuses, latencies);
    }

    private static async Task SendAsync(
        HttpClient client, OpenLoopClientSettings settings, MediaTypeHeaderValue contentType, long due, int index, int[] statuses, long[] latencies, CancellationToken cancellationToken)
    {
        int status;
        try
        {
            using var content = new ByteArrayContent(settings.Body);
            content.Headers.ContentType = contentType;
            using HttpResponseMessage response = await client.PostAsync(settings.Url, content, cancellationToken).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            status = -1;
        }

        latencies[index] = (long)Stopwatch.GetElapsedTime(due).TotalMicroseconds;
        statuses[index] = status;
    }

    private static long ToTimestamp(long nanoseconds) => (long)(nanoseconds * (Stopwatch.Frequency / 1e9));

    private static void WaitUntil(long timestamp)
    {
        while (true)
        {
            long remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            double milliseconds = remaining * 1000.0 / Stopwatch.Frequency;
            if (milliseconds > 1.5)
            {
                Thread.Sleep((int)(milliseconds - 1));
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
