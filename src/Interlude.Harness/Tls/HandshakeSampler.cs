using System.Diagnostics;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Tls;

/// <summary>
/// Handshake latency under the storm: one thread of its own making a new connection at a fixed interval and
/// timing TCP connect plus a full TLS handshake (new <see cref="System.Net.Security.SslStream"/>, resumption off).
/// h2load reports only the mean and spread of its connect times; the sample gives the percentiles.
/// </summary>
public sealed class HandshakeSampler : IDisposable
{
    private readonly Uri _url;
    private readonly TimeSpan _interval;
    private readonly Thread _thread;
    // Written only by the sampling thread; read by the controlling thread after the join in Stop.
    private readonly LatencyHistogram _histogram = new();
    private readonly ManualResetEventSlim _ready = new();

    // Stopwatch timestamp from which latencies are recorded (long.MaxValue: not yet). Written by the controlling
    // thread in BeginRecording; read by the sampling thread before each record.
    private long _recordFrom = long.MaxValue;

    // Written by the controlling thread in Stop; read by the sampling thread between handshakes.
    private volatile bool _stop;

    // Written by the sampling thread; read by the controlling thread after the join (or the ready signal).
    private long _errors;
    private int _threadId;
    private Exception? _connectFailure;

    private HandshakeSampler(Uri url, TimeSpan interval)
    {
        _url = url;
        _interval = interval;
        _thread = new Thread(Run, 256 * 1024) { IsBackground = true, Name = "tls-sampler" };
    }

    /// <summary>The sampling thread's Linux id, for subtracting its CPU time from the server's.</summary>
    public int ThreadId => Volatile.Read(ref _threadId);

    /// <summary>Starts sampling <paramref name="url"/> every <paramref name="interval"/>, after one handshake that checks the server answers.</summary>
    public static HandshakeSampler Start(Uri url, TimeSpan interval)
    {
        var sampler = new HandshakeSampler(url, interval);
        sampler._thread.Start();
        sampler._ready.Wait();
        if (Volatile.Read(ref sampler._connectFailure) is { } failure)
        {
            sampler.Stop();
            throw new InvalidOperationException($"The handshake sampler could not connect to {url}: {failure.Message}", failure);
        }

        return sampler;
    }

    /// <summary>Records from now on: what ran before (warming up, waiting for the storm) is not counted.</summary>
    public void BeginRecording() => Volatile.Write(ref _recordFrom, Stopwatch.GetTimestamp());

    /// <summary>Stops sampling and returns the handshake latencies (nanoseconds) since <see cref="BeginRecording"/>, with the failed handshakes counted.</summary>
    public (LatencyHistogram Latencies, long Errors) Stop()
    {
        _stop = true;
        _thread.Join();
        return (_histogram, Interlocked.Read(ref _errors));
    }

    public void Dispose()
    {
        if (!_stop)
        {
            Stop();
        }

        _ready.Dispose();
    }

    private void Run()
    {
        Volatile.Write(ref _threadId, ProcessThreads.CurrentId());
        try
        {
            TlsClient.Connect(_url).Dispose();
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _connectFailure, ex);
            _ready.Set();
            return;
        }

        _ready.Set();
        while (!_stop)
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                TlsClient.Connect(_url).Dispose();
                if (start >= Volatile.Read(ref _recordFrom))
                {
                    _histogram.Record((long)(Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1e6));
                }

            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
            {
                Interlocked.Increment(ref _errors);
            }

            Thread.Sleep(_interval);
        }
    }
}
