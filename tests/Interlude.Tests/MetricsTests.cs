using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class MetricsTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AMeterListenerSeesCompletedOffloadsIncrease(WaitStrategy strategy)
    {
        const int offloads = 200;
        await using TestRig rig = TestRig.Create(strategy, loops: 2);
        long completed = 0;
        var latencies = new ConcurrentBag<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Interlude" && instrument.Name is "interlude.offloads.completed" or "interlude.offload.latency")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => completed += value);
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => latencies.Add(value));
        listener.Start();

        long before = Collect();
        await Task.WhenAll(Enumerable.Range(0, offloads)
            .Select(i => rig.Group.RunAsync(async () => await rig.Device.SubmitAsync(static x => x, i))))
            .Guarded();
        long after = Collect();

        Assert.True(after - before >= offloads, $"completed offloads went from {before} to {after}");
        Assert.True(latencies.Count >= offloads, $"only {latencies.Count} latencies were recorded");
        Assert.All(latencies, latency => Assert.True(latency >= 0));

        long Collect()
        {
            completed = 0;
            listener.RecordObservableInstruments();
            return completed;
        }
    }
}
