namespace Interlude.Inference;

/// <summary>
/// What one device thread has done since the device started: a snapshot taken by
/// <see cref="InferenceDevice.GetThreadStatistics"/>. Two snapshots' difference in <see cref="BusyTime"/> over the
/// wall-clock time between them is the thread's utilization.
/// </summary>
public readonly struct InferenceThreadStatistics
{
    internal InferenceThreadStatistics(int index, int? core, int managedThreadId, long batches, long requests, long workFunctionsRun, TimeSpan busyTime)
    {
        Index = index;
        Core = core;
        ManagedThreadId = managedThreadId;
        Batches = batches;
        Requests = requests;
        WorkFunctionsRun = workFunctionsRun;
        BusyTime = busyTime;
    }

    /// <summary>The thread's position among the device's threads.</summary>
    public int Index { get; }

    /// <summary>The core the thread is pinned to; null when unpinned.</summary>
    public int? Core { get; }

    /// <summary>The thread's <see cref="Environment.CurrentManagedThreadId"/>; 0 until it has started.</summary>
    public int ManagedThreadId { get; }

    /// <summary>Batches (ONNX Runtime runs) the thread started, over every model.</summary>
    public long Batches { get; }

    /// <summary>Requests in those batches.</summary>
    public long Requests { get; }

    /// <summary>Work functions submitted with <see cref="Accelerator.SubmitAsync{TState, TResult}"/> the thread ran.</summary>
    public long WorkFunctionsRun { get; }

    /// <summary>Time the thread spent running batches and work functions.</summary>
    public TimeSpan BusyTime { get; }

    /// <inheritdoc/>
    public override string ToString()
        => $"inference-{Index}: {Batches} batches, {Requests} requests, {WorkFunctionsRun} work functions, busy {BusyTime.TotalMilliseconds:F1} ms";
}
