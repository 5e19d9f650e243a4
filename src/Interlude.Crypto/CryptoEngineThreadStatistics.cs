namespace Interlude.Crypto;

/// <summary>
/// What one engine thread has done since the engine started: a snapshot taken by
/// <see cref="CryptoEngine.GetThreadStatistics"/>. Two snapshots' difference over the wall-clock time between
/// them is the thread's utilization.
/// </summary>
public readonly struct CryptoEngineThreadStatistics
{
    internal CryptoEngineThreadStatistics(int index, int? core, int managedThreadId, long operationsCompleted, long operationsFailed, long workFunctionsRun, TimeSpan busyTime)
    {
        Index = index;
        Core = core;
        ManagedThreadId = managedThreadId;
        OperationsCompleted = operationsCompleted;
        OperationsFailed = operationsFailed;
        WorkFunctionsRun = workFunctionsRun;
        BusyTime = busyTime;
    }

    /// <summary>The thread's position among the engine's threads.</summary>
    public int Index { get; }

    /// <summary>The core the thread is pinned to; null when unpinned.</summary>
    public int? Core { get; }

    /// <summary>The thread's <see cref="Environment.CurrentManagedThreadId"/>; 0 until it has started.</summary>
    public int ManagedThreadId { get; }

    /// <summary>
    /// Operations the thread ran and handed back: crypto requests (succeeded or failed) and work functions
    /// submitted with <see cref="Accelerator.SubmitAsync{TState, TResult}"/>. Operations cancelled before the
    /// thread started them are not counted.
    /// </summary>
    public long OperationsCompleted { get; }

    /// <summary>Crypto requests among <see cref="OperationsCompleted"/> that failed (their caller got the exception).</summary>
    public long OperationsFailed { get; }

    /// <summary>Work functions among <see cref="OperationsCompleted"/> (for example TLS handshake steps).</summary>
    public long WorkFunctionsRun { get; }

    /// <summary>Time the thread spent running operations, from taking each to handing it back.</summary>
    public TimeSpan BusyTime { get; }

    /// <inheritdoc/>
    public override string ToString()
        => $"crypto-{Index}: {OperationsCompleted} ops ({OperationsFailed} failed, {WorkFunctionsRun} work functions), busy {BusyTime.TotalMilliseconds:F1} ms";
}
