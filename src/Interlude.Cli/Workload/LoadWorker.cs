using System.Diagnostics;
using Interlude.Cli.Measurement;

namespace Interlude.Cli.Workload;

/// <summary>
/// One request in flight of a closed loop: issues a request, records its latency, issues the next at once,
/// until the phase says stop. Each worker owns its histogram, so recording needs no synchronisation.
/// </summary>
internal sealed class LoadWorker
{
    private readonly IRequestHandler _handler;
    private readonly LoadPhase _phase;

    internal LoadWorker(IRequestHandler handler, LoadPhase phase)
    {
        _handler = handler;
        _phase = phase;
    }

    /// <summary>Latencies of the requests completed while measuring, in Stopwatch ticks.</summary>
    internal LatencyHistogram Latency { get; } = new();

    internal async ValueTask RunAsync()
    {
        // Back to back: a request's end is the next one's start, one clock read per request.
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            // The harness needs no context of its own: without ConfigureAwait(false) the handler's completion
            // would be posted back to the captured context (one queue hop and one allocation per request)
            // instead of continuing on the thread that completed it, which already is the right one.
            await _handler.HandleAsync().ConfigureAwait(false);
            long end = Stopwatch.GetTimestamp();
            int phase = _phase.Current;
            if (phase == LoadPhase.Measuring)
            {
                Latency.Record(end - start);
            }
            else if (phase == LoadPhase.Stopped)
            {
                return;
            }

            start = end;
        }
    }
}
