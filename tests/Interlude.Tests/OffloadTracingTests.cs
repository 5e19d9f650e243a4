using System.Collections.Concurrent;
using System.Diagnostics;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// The <c>Interlude</c> ActivitySource: with a listener, every offload from a loop is a span from submission to
/// completion, a child of the submitter's activity, which stays the submitter's current one meanwhile.
/// </summary>
[Collection(OffloadTracingCollection.Name)]
public sealed class OffloadTracingTests
{
    private static readonly ActivitySource s_requests = new("Interlude.Tests.Requests");

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task Each_offload_is_a_child_span_of_the_submitters_activity_and_the_submitter_keeps_its_own(WaitStrategy strategy)
    {
        const int offloads = 20;
        var stopped = new ConcurrentQueue<Activity>();
        using ActivityListener listener = Listen(stopped);
        await using TestRig rig = TestRig.Create(strategy);

        (ActivityTraceId trace, ActivitySpanId request, int mismatches) = await rig.Loop.RunAsync(async () =>
        {
            using Activity parent = s_requests.StartActivity("request")!;
            int mismatches = 0;
            for (int i = 0; i < offloads; i++)
            {
                await rig.Device.SubmitAsync(static x => x + 1, i);
                mismatches += Activity.Current == parent ? 0 : 1;
            }

            return (parent.TraceId, parent.SpanId, mismatches);
        }).Guarded();

        Activity[] spans = [.. stopped.Where(a => a.Source.Name == "Interlude" && a.TraceId == trace)];
        Assert.Equal(0, mismatches);
        Assert.Equal(offloads, spans.Length);
        Assert.All(spans, span =>
        {
            Assert.Equal("interlude.offload", span.OperationName);
            Assert.Equal(trace, span.TraceId);
            Assert.Equal(request, span.ParentSpanId);
            Assert.Equal(rig.Device.Name, span.GetTagItem("interlude.device.name"));
            Assert.Equal(0, span.GetTagItem("interlude.loop.index"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.True(span.Duration >= TimeSpan.Zero);
        });
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task A_failed_offload_is_an_error_span_naming_the_exception(WaitStrategy strategy)
    {
        var stopped = new ConcurrentQueue<Activity>();
        using ActivityListener listener = Listen(stopped);
        await using TestRig rig = TestRig.Create(strategy);

        ActivityTraceId trace = default;
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Loop.RunAsync(async () =>
        {
            using Activity parent = s_requests.StartActivity("request")!;
            trace = parent.TraceId;
            await rig.Device.SubmitAsync<int, int>(static _ => throw new InvalidOperationException("the device said no"), 0);
        })).Guarded();

        Activity span = Assert.Single(stopped, a => a.Source.Name == "Interlude" && a.TraceId == trace);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("the device said no", span.StatusDescription);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
    }

    private static ActivityListener Listen(ConcurrentQueue<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Interlude" or "Interlude.Tests.Requests",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}

/// <summary>Listeners of the Interlude source see every group's offloads: these tests run apart from the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OffloadTracingCollection
{
    public const string Name = "Offload tracing";
}
