using Interlude.Harness.Measurement;
using Interlude.Harness.Workload;

namespace Interlude.Harness.Modes;

/// <summary>
/// The threads of a thread-per-request mode: one dedicated thread per worker, each confined to the application
/// cores and running its worker synchronously (its offload port blocks or spins, so the worker never suspends).
/// </summary>
/// <remarks>Used by the controlling thread only; each started thread touches nothing here but its own arguments.</remarks>
public sealed class DedicatedThreads
{
    // Enough for the handler and the hashing; the default would reserve megabytes for each of many threads.
    private const int StackBytes = 256 * 1024;

    private readonly IReadOnlyList<int> _cores;
    private readonly string _name;
    private readonly List<Thread> _threads = [];

    public DedicatedThreads(IReadOnlyList<int> cores, string name)
    {
        _cores = cores;
        _name = name;
    }

    /// <summary>Every thread started so far, the measuring ones included.</summary>
    public IReadOnlyList<Thread> Threads => _threads;

    /// <summary>Runs each worker on a thread of its own with a port from <paramref name="createPort"/> (called on that thread).</summary>
    public Task RunWorkersAsync(IReadOnlyList<LoadWorker> workers, Func<IOffloadPort> createPort)
    {
        var ended = new Task[workers.Count];
        for (int i = 0; i < workers.Count; i++)
        {
            LoadWorker worker = workers[i];
            ended[i] = Start($"{_name}-{i}", () => RunToEnd(worker, createPort));
        }

        return Task.WhenAll(ended);
    }

    /// <summary>Times <paramref name="work"/> on a thread confined like the workers' threads.</summary>
    public Task<double> MeasureCpuWorkNsAsync(Action work, TimeSpan budget)
        => Start($"{_name}-probe", () => WorkCostProbe.MeasureNs(work, budget));

    /// <summary>Waits for every thread to end; returns a description of those that did not, or null.</summary>
    public string? Join(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        int alive = 0;
        foreach (Thread thread in _threads)
        {
            int left = (int)Math.Max(0, deadline - Environment.TickCount64);
            if (!thread.Join(left))
            {
                alive++;
            }
        }

        return alive == 0 ? null : $"{alive} of {_threads.Count} threads were still running {timeout.TotalSeconds:G} s after the run ended.";
    }

    private static bool RunToEnd(LoadWorker worker, Func<IOffloadPort> createPort)
    {
        IOffloadPort port = createPort();
        try
        {
            ValueTask run = worker.RunAsync(port);
            if (run.IsCompleted)
            {
                run.GetAwaiter().GetResult();
            }
            else
            {
                // Not expected: the mode's ports complete synchronously. Still correct if one did not.
                run.AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            (port as IDisposable)?.Dispose();
        }

        return true;
    }

    private Task<T> Start<T>(string name, Func<T> body)
    {
        // Asynchronous continuations: whoever awaits the result must not run on (and hold up) this thread.
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        IReadOnlyList<int> cores = _cores;
        var thread = new Thread(
            () =>
            {
                CpuAffinity.TrySetThreadCores(0, cores);
                try
                {
                    result.SetResult(body());
                }
                catch (Exception ex)
                {
                    result.SetException(ex);
                }
            },
            StackBytes)
        {
            IsBackground = true,
            Name = name,
        };
        _threads.Add(thread);
        thread.Start();
        return result.Task;
    }
}
