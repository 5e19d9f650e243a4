using System.Diagnostics;
using System.Runtime.CompilerServices;
using Interlude.Offload;

namespace Interlude.Diagnostics;

/// <summary>
/// The <c>Interlude</c> <see cref="ActivitySource"/>: one span per offload submitted from a loop, from its
/// submission to the moment its loop is done with it (reaped, refused, or cancelled while it waited for ring
/// space), child of whatever activity the submitting code ran under (an ASP.NET Core request's, for example), so a
/// trace shows the time a request spent waiting on the device. Off unless something listens (OpenTelemetry's
/// <c>AddSource("Interlude")</c>, an <see cref="ActivityListener"/>): a submission then costs one check of
/// <see cref="ActivitySource.HasListeners"/>.
/// </summary>
internal static class InterludeActivities
{
    internal const string SourceName = "Interlude";

    internal const string OffloadActivityName = "interlude.offload";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>Owner loop, at submission: starts the span, and leaves the submitter's current activity as it was.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void StartOffload(OffloadOperation op, string device, int loopIndex)
    {
        Activity? parent = Activity.Current;
        Activity? activity = Source.StartActivity(OffloadActivityName, ActivityKind.Internal);
        if (activity is null)
        {
            return;
        }

        // The coroutine goes on under its own activity while the device works: the span is not "current".
        Activity.Current = parent;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("interlude.device.name", device);
            activity.SetTag("interlude.loop.index", loopIndex);
        }

        op.Activity = activity;
    }

    /// <summary>Owner loop, when the operation leaves the loop's books: ends the span, marked as an error if the device failed it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void StopOffload(OffloadOperation op)
    {
        Activity activity = op.Activity!;
        op.Activity = null;
        if (op.DeviceError is { } error)
        {
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
            activity.SetTag("error.type", error.GetType().FullName);
        }

        Activity? current = Activity.Current;
        activity.Stop();
        Activity.Current = current;
    }
}
