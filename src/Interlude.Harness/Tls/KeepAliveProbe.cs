using System.Diagnostics;
using System.Net.Security;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Tls;

/// <summary>
/// The isolation probe: a few persistent TLS connections, opened before the handshake storm, each on a thread of
/// its own sending one small request at a fixed interval and timing the response. Latency runs from the request's
/// scheduled time when the previous response made it late (so a stalled server is not hidden by the probe waiting
/// for it), and from when it was sent otherwise.
/// </summary>
public sealed class KeepAliveProbe : IDisposable
{
    private readonly Uri _url;
    private readonly long _intervalTicks;
    private readonly Thread[] _threads;
    // Element i written only by probe thread i; read by the controlling thread after the join in Stop.
    private readonly LatencyHistogram[] _histograms;

    // Element i written by probe thread i before it signals _ready; read by the controlling thread after the wait.
    private readonly int[] _threadIds;
    private readonly CountdownEvent _ready;

    // Stopwatch timestamp from which latencies are recorded (long.MaxValue: not yet). Written by the controlling
    // thread in BeginRecording; read by the probe threads before each record.
    private long _recordFrom = long.MaxValue;

    // Written by the controlling thread in Stop; read by the probe threads between requests.
    private volatile bool _stop;

    // Incremented by the probe threads; read by the controlling thread after they have been joined.
    private long _errors;

    // Written by a probe thread that failed to connect; read by the controlling thread after the ready signal.
    private volatile Exception? _connectFailure;

    private KeepAliveProbe(Uri url, int connections, TimeSpan interval)
    {
        _url = url;
        _intervalTicks = Math.Max(1, (long)(interval.TotalSeconds * Stopwatch.Frequency));
        _threads = new Thread[connections];
        _histograms = new LatencyHistogram[connections];
        _threadIds = new int[connections];
        _ready = new CountdownEvent(connections);
    }

    /// <summary>The probe threads' Linux ids, for subtracting their CPU time from the server's.</summary>
    public IReadOnlyList<int> ThreadIds => _threadIds;

    /// <summary>
    /// Opens <paramref name="connections"/> connections to <paramref name="url"/>, each on its own thread, warms
    /// each with a few requests and returns once all of them are sending at one request per <paramref name="interval"/>.
    /// </summary>
    public static KeepAliveProbe Start(Uri url, int connections, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        var probe = new KeepAliveProbe(url, connections, interval);
        for (int i = 0; i < connections; i++)
        {
            int index = i;
            probe._histograms[i] = new LatencyHistogram();
            probe._threads[i] = new Thread(() => probe.Run(index), 256 * 1024) { IsBackground = true, Name = $"tls-probe-{i}" };
            probe._threads[i].Start();
        }

        probe._ready.Wait();
        if (probe._connectFailure is { } failure)
        {
            probe.Stop();
            throw new InvalidOperationException($"The keep-alive probe could not connect to {url}: {failure.Message}", failure);
        }

        return probe;
    }

    /// <summary>Records from now on: what ran before (warming up, waiting for the storm) is not counted.</summary>
    public void BeginRecording() => Volatile.Write(ref _recordFrom, Stopwatch.GetTimestamp());

    /// <summary>Stops the threads and returns the latencies (nanoseconds) of every request since <see cref="BeginRecording"/>, with the failed ones counted.</summary>
    public (LatencyHistogram Latencies, long Errors) Stop()
    {
        _stop = true;
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        var all = new LatencyHistogram();
        foreach (LatencyHistogram histogram in _histograms)
        {
            all.Add(histogram);
        }

        return (all, Interlocked.Read(ref _errors));
    }

    public void Dispose()
    {
        if (!_stop)
        {
            Stop();
        }

        _ready.Dispose();
    }

    private void Run(int index)
    {
        _threadIds[index] = ProcessThreads.CurrentId();
        SslStream? stream = null;
        byte[] request = TlsClient.Request(_url);
        byte[] buffer = new byte[16 * 1024];
        try
        {
            stream = TlsClient.Connect(_url);
            for (int i = 0; i < 5; i++)
            {
                TlsClient.Exchange(stream, request, buffer);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            _connectFailure = ex;
            stream?.Dispose();
            _ready.Signal();
            return;
        }

        _ready.Signal();
        try
        {
            Send(stream, request, buffer, _histograms[index]);
        }
        finally
        {
            stream.Dispose();
        }
    }

    private void Send(SslStream stream, byte[] request, byte[] buffer, LatencyHistogram histogram)
    {
        long next = Stopwatch.GetTimestamp();
        long previousEnd = next;
        while (!_stop)
        {
            long now = Stopwatch.GetTimestamp();
            if (now < next)
            {
                Thread.Sleep(TimeSpan.FromSeconds((double)(next - now) / Stopwatch.Frequency));
                now = Stopwatch.GetTimestamp();
            }

            // Late because the previous response was: time from the schedule. Late because the sleep overshot:
            // that is the probe's doing, so time from the send.
            long start = previousEnd > next ? next : now;
            try
            {
                TlsClient.Exchange(stream, request, buffer);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException)
            {
                Interlocked.Increment(ref _errors);
                return;
            }

            previousEnd = Stopwatch.GetTimestamp();
            if (start >= Volatile.Read(ref _recordFrom))
            {
                histogram.Record((long)((previousEnd - start) * (1e9 / Stopwatch.Frequency)));
            }

            next += _intervalTicks;
        }
    }
}
