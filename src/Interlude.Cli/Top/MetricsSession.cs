using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Interlude.Cli.Top;

/// <summary>
/// An EventPipe session in another .NET process (through its diagnostics port) that asks System.Diagnostics.Metrics
/// to publish the <c>Interlude</c> meter every interval, and keeps the latest value of every instrument and
/// attribute set. <see cref="Refreshed"/> fires once per interval, after its values have all arrived.
/// </summary>
internal sealed class MetricsSession : IDisposable
{
    private const long TimeSeriesValues = 0x2;

    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    private readonly string _sessionId;

    // Written by the reader thread, read by whoever renders (a snapshot copy per refresh).
    private readonly ConcurrentDictionary<(string Instrument, string Attributes), MetricSample> _latest = new();

    private MetricsSession(EventPipeSession session, TimeSpan interval, string sessionId)
    {
        _session = session;
        _sessionId = sessionId;
        Interval = interval;
        _reader = new Thread(Read) { IsBackground = true, Name = "interlude-top-reader" };
    }

    /// <summary>After each published interval, with the values so far. Raised on the reader thread.</summary>
    public event Action<IReadOnlyCollection<MetricSample>>? Refreshed;

    /// <summary>The session's end: the process exited or the stream failed; null while it runs.</summary>
    public Exception? Ended { get; private set; }

    public TimeSpan Interval { get; }

    /// <summary>Attaches to <paramref name="processId"/>; throws with the reason when it cannot.</summary>
    public static MetricsSession Start(int processId, TimeSpan interval)
    {
        var client = new DiagnosticsClient(processId);
        var id = Guid.NewGuid().ToString("N");
        var arguments = new Dictionary<string, string>
        {
            ["SessionId"] = id,
            ["Metrics"] = "Interlude",
            ["RefreshInterval"] = interval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["MaxTimeSeries"] = "1000",
            ["MaxHistograms"] = "20",
        };
        EventPipeSession session = client.StartEventPipeSession(
            [new EventPipeProvider(MetricsEventParser.ProviderName, EventLevel.Informational, TimeSeriesValues, arguments)],
            requestRundown: false);
        var metrics = new MetricsSession(session, interval, id);
        metrics._reader.Start();
        return metrics;
    }

    public void Dispose()
    {
        try
        {
            _session.Stop();
        }
        catch (Exception e) when (e is ServerNotAvailableException or EndOfStreamException or IOException or TimeoutException)
        {
            // The process has gone: nothing to stop.
        }

        _session.Dispose();
    }

    private void Read()
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Dynamic.All += e =>
            {
                if (e.ProviderName != MetricsEventParser.ProviderName)
                {
                    return;
                }

                // The end of an interval's values: "CollectionStop" (TraceEvent names it with its opcode).
                if (e.EventName is "Collection/Stop" or "CollectionStop" && e.PayloadByName("sessionId") as string == _sessionId)
                {
                    Refreshed?.Invoke(_latest.Values.ToArray());
                    return;
                }

                if (MetricsEventParser.Parse(e, _sessionId) is { } sample)
                {
                    _latest[(sample.Instrument, sample.Attributes)] = sample;
                }
            };
            source.Process();
        }
        catch (Exception e)
        {
            Ended = e;
        }

        Ended ??= new EndOfStreamException("The process ended the session (it exited).");
    }
}
