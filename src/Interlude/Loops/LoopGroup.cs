using System.Diagnostics;
using Interlude.Diagnostics;
using Interlude.Loops;
using Interlude.Native;

namespace Interlude;

/// <summary>
/// A set of per-core loops: the unit an application starts, spreads coroutines over, observes and stops.
/// </summary>
/// <remarks>
/// Shutdown (<see cref="StopAsync"/>): new coroutines from outside the loops are refused at once; coroutines in
/// flight get the drain timeout to finish; then <see cref="Stopping"/> is cancelled, every pending offload and
/// delay fails with <see cref="OperationCanceledException"/> so its coroutine resumes and ends, and finally every
/// loop thread exits and is joined.
/// </remarks>
public sealed class LoopGroup : IDisposable, IAsyncDisposable
{
    private const int Running = 0;
    private const int Draining = 1;
    private const int Cancelling = 2;
    private const int Stopped = 3;

    /// <summary>
    /// How long <see cref="StopAsync"/> may take beyond its drain timeout: the cancel pass, the coroutines' reaction
    /// to it, and the loops' exit, all together.
    /// </summary>
    public static TimeSpan StopGrace { get; } = TimeSpan.FromSeconds(1);

    private readonly Loop[] _loops;
    private readonly CancellationTokenSource _stopping = new();

    // Cancelled at the very end of a stop: completes the tasks of RunAsync coroutines that never resumed.
    private readonly CancellationTokenSource _abandoning = new();
    private readonly StallDetector? _stallDetector;
    private readonly object _stopGate = new();
    private Task<ShutdownReport>? _stopTask;

    // Any thread: round-robin cursor for Spawn.
    private int _nextLoop;

    // Written by the stopping thread; read by any thread that spawns or submits.
    private volatile int _state;

    /// <summary>Creates the loops and starts their threads.</summary>
    public LoopGroup(LoopGroupOptions? options = null)
    {
        options ??= new LoopGroupOptions();
        options.Validate();
        if (options.PinThreads)
        {
            CpuAffinity.ValidateCores(options.Cores, nameof(LoopGroupOptions.Cores));
        }

        IReadOnlyList<int> cores = options.Cores ?? CpuAffinity.AllowedCores();
        int count = options.LoopCount ?? cores.Count;
        _loops = new Loop[count];
        for (int i = 0; i < count; i++)
        {
            int? core = options.PinThreads ? cores[i % cores.Count] : null;
            _loops[i] = new Loop(this, i, core, options);
        }

        if (options.PinThreads && !CpuAffinity.IsSupported)
        {
            InterludeEventSource.Log.PinningUnavailable(RuntimeEnvironmentDescription());
        }

        foreach (Loop loop in _loops)
        {
            loop.Start();
        }

        InterludeMetrics.Register(this);
        if (options.StallThreshold > TimeSpan.Zero)
        {
            _stallDetector = new StallDetector(this, options.StallThreshold);
        }
    }

    /// <summary>An exception escaped on a loop (a coroutine's, a posted callback's or a poller's).</summary>
    /// <remarks>With no handler attached the exception is written to standard error; it is never dropped.</remarks>
    public event EventHandler<LoopFaultEventArgs>? Faulted;

    /// <summary>A loop made no progress for longer than the stall threshold.</summary>
    /// <remarks>With no handler attached the stall is written to standard error.</remarks>
    public event EventHandler<LoopStallEventArgs>? Stalled;

    /// <summary>The loops, by index.</summary>
    public IReadOnlyList<Loop> Loops => _loops;

    /// <summary>Number of loops.</summary>
    public int Count => _loops.Length;

    /// <summary>Cancelled when shutdown gives up waiting and cancels the work in flight.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>The loop with the given index.</summary>
    public Loop this[int index] => _loops[index];

    /// <summary>Coroutines started and not yet ended, over all loops (a racy but never torn sum).</summary>
    public long InFlightCoroutines
    {
        get
        {
            long total = 0;
            foreach (Loop loop in _loops)
            {
                total += InFlight(loop);
            }

            return total;
        }
    }

    internal bool IsCancelling => _state >= Cancelling;

    /// <summary>Cancelled once a stop has abandoned the coroutines still suspended.</summary>
    internal CancellationToken Abandoning => _abandoning.Token;

    /// <summary>The next loop in round-robin order.</summary>
    public Loop NextLoop() => _loops[(int)((uint)Interlocked.Increment(ref _nextLoop) % (uint)_loops.Length)];

    /// <summary>Starts a coroutine on the next loop (round robin).</summary>
    public void Spawn(Func<ValueTask> coroutine) => NextLoop().Spawn(coroutine);

    /// <summary>Starts a coroutine with explicit state on the next loop (round robin).</summary>
    public void Spawn<TState>(Func<TState, ValueTask> coroutine, TState state) => NextLoop().Spawn(coroutine, state);

    /// <summary>Starts a coroutine on the next loop and returns a task that observes it.</summary>
    public Task RunAsync(Func<ValueTask> coroutine) => NextLoop().RunAsync(coroutine);

    /// <summary>Starts a coroutine on the next loop and returns a task that observes its result.</summary>
    public Task<T> RunAsync<T>(Func<ValueTask<T>> coroutine) => NextLoop().RunAsync(coroutine);

    /// <summary>A snapshot of every loop's counters.</summary>
    public IReadOnlyList<LoopStatistics> GetStatistics()
    {
        var result = new LoopStatistics[_loops.Length];
        for (int i = 0; i < _loops.Length; i++)
        {
            result[i] = LoopStatistics.Read(_loops[i], InFlight(_loops[i]));
        }

        return result;
    }

    /// <summary>
    /// Stops the group: drains for up to <paramref name="drainTimeout"/>, then cancels what is left, then
    /// stops and joins every loop thread. Returns within <paramref name="drainTimeout"/> plus
    /// <see cref="StopGrace"/> whatever the loops do: a loop blocked by user code is reported as unresponsive and
    /// left behind, and every <see cref="RunAsync(Func{ValueTask})"/> task of a coroutine that never resumed
    /// completes with <see cref="OperationCanceledException"/>. Safe to call more than once; later calls share the
    /// first's outcome.
    /// </summary>
    public Task<ShutdownReport> StopAsync(TimeSpan drainTimeout)
    {
        if (drainTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(drainTimeout), drainTimeout, "The drain timeout must be non-negative.");
        }

        if (_loops.Any(l => l.IsCurrent))
        {
            throw new InvalidOperationException("A LoopGroup cannot be stopped from one of its own loops: the loop would wait for itself.");
        }

        lock (_stopGate)
        {
            return _stopTask ??= StopCoreAsync(drainTimeout);
        }
    }

    /// <summary>Stops with a 5 second drain timeout and waits.</summary>
    public void Dispose() => StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();

    /// <summary>Stops with a 5 second drain timeout.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);

    internal void ThrowIfNotAccepting(Loop target)
    {
        int state = _state;
        if (state == Running || (state != Stopped && Loop.Current is { } current && current.Group == this))
        {
            return;
        }

        throw new InvalidOperationException(
            state == Stopped ? "The LoopGroup has stopped." : "The LoopGroup is stopping and accepts no new coroutines from outside its loops.");
    }

    /// <summary>Loop thread: a coroutine ended.</summary>
    internal void OnCoroutineFinished(Loop loop, Exception? error)
    {
        if (error is null)
        {
            loop.Counters.CoroutinesCompleted++;
        }
        else if (error is OperationCanceledException)
        {
            loop.Counters.CoroutinesCancelled++;
        }
        else
        {
            loop.Counters.CoroutinesFaulted++;
            ReportFault(loop, error, FaultSource.Coroutine);
        }
    }

    /// <summary>Any thread: an exception escaped on a loop. Logs it, and raises <see cref="Faulted"/>.</summary>
    internal void ReportFault(Loop loop, Exception error, FaultSource source)
    {
        InterludeEventSource.Log.Fault(loop.Index, source, error);
        EventHandler<LoopFaultEventArgs>? handler = Faulted;
        if (handler is null)
        {
            Console.Error.WriteLine($"interlude: unhandled {source} exception on loop {loop.Index}: {error}");
            return;
        }

        try
        {
            handler(this, new LoopFaultEventArgs(loop.Index, source, error));
        }
        catch (Exception handlerError)
        {
            Console.Error.WriteLine($"interlude: the Faulted handler threw: {handlerError}");
        }
    }

    /// <summary>Stall detector thread.</summary>
    internal void ReportStall(Loop loop, TimeSpan stalledFor, bool hasEnded, LoopStallCause cause, int queuedWork)
    {
        // Through the EventSource and the Stalled event only: a hosted application logs it where it logs the rest.
        InterludeEventSource.Log.Stall(loop.Index, stalledFor.TotalMilliseconds, hasEnded, cause, queuedWork);
        try
        {
            Stalled?.Invoke(this, new LoopStallEventArgs(loop.Index, stalledFor, hasEnded, cause, queuedWork));
        }
        catch (Exception handlerError)
        {
            InterludeEventSource.Log.CallbackFailed("LoopGroup.Stalled", handlerError);
        }
    }

    private static long InFlight(Loop loop) => loop.InFlightCoroutines;

    private static string RuntimeEnvironmentDescription()
        => $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}: CPU affinity needs Linux; loops run unpinned.";

    private async Task<ShutdownReport> StopCoreAsync(TimeSpan drainTimeout)
    {
        // Everything after the drain shares one budget, so a loop blocked by user code (a lock, a sync-over-async
        // wait) cannot hold the stop up: whatever has not answered by then is reported, not waited for.
        // The last 5% of the grace is left for what follows the deadline (counting, completing abandoned tasks), so
        // the caller hears back within drain + StopGrace even when a loop runs out the budget.
        long deadline = Stopwatch.GetTimestamp() + Ticks(drainTimeout) + (Ticks(StopGrace) * 19 / 20);
        _state = Draining;
        bool drained = await WaitForNoCoroutinesAsync(drainTimeout).ConfigureAwait(false);
        int cancelledOffloads = 0;
        int cancelledTimers = 0;
        var unresponsive = new HashSet<int>();
        _state = Cancelling;
        if (!drained)
        {
            // On the pool: a Stopping callback that blocks must not hold the stop up either.
            _ = Task.Run(CancelStopping);
        }

        // Even after a clean drain: an offload, delay or socket wait awaited outside any coroutine would otherwise
        // wait forever on a loop that has exited.
        Task<(int Offloads, int Timers)?>[] passes = [.. _loops.Select(l => l.CancelPendingAsync(_stopping.Token, Remaining(deadline) * 0.4))];
        (int Offloads, int Timers)?[] answers = await Task.WhenAll(passes).ConfigureAwait(false);
        for (int i = 0; i < answers.Length; i++)
        {
            if (answers[i] is { } answer)
            {
                cancelledOffloads += answer.Offloads;
                cancelledTimers += answer.Timers;
            }
            else
            {
                unresponsive.Add(i);
            }
        }

        if (!drained)
        {
            await WaitForNoCoroutinesAsync(Remaining(deadline) * 0.5).ConfigureAwait(false);
        }

        _state = Stopped;
        _stallDetector?.Dispose();
        foreach (Loop loop in _loops)
        {
            loop.RequestExit(deadline);
        }

        // Awaited, not joined: a stop must not hold a pool thread (on a small machine the pool has few) while a
        // blocked loop runs out the budget.
        Task[] exits = [.. _loops.Select(l => l.Exited)];
        try
        {
            // At least ExitAnswerFloor: a loop answers a requested exit within microseconds, but the steps above run
            // as pool continuations, and a starved pool (it adds a thread only every half second) can deliver one
            // so late that the budget is gone before the loops were even asked; a loop is not unresponsive for that.
            await Task.WhenAll(exits).WaitAsync(Max(Remaining(deadline), ExitAnswerFloor)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        for (int i = 0; i < exits.Length; i++)
        {
            if (!exits[i].IsCompleted)
            {
                unresponsive.Add(i);
                continue;
            }

            // A loop signals its exit as the last thing its thread does; the join waits out only the thread's own
            // teardown, within what is left of the budget, so that when StopAsync returns a responsive loop's thread
            // has normally ended. A loop that signalled is responsive even if that teardown outlasts the budget.
            _loops[i].Thread.Join(Remaining(deadline));
        }

        long abandoned = InFlightCoroutines;

        // Whoever awaits a coroutine that will never resume hears so now instead of waiting forever.
        _abandoning.Cancel();
        InterludeMetrics.Unregister(this);
        return new ShutdownReport(drained, cancelledOffloads, cancelledTimers, abandoned, unresponsive.Count);
    }

    private void CancelStopping()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (AggregateException ex)
        {
            InterludeEventSource.Log.CallbackFailed("LoopGroup.Stopping", ex);
        }
    }

    /// <summary>The least time a loop gets to signal a requested exit: half of the 5% of <see cref="StopGrace"/> kept back.</summary>
    private static readonly TimeSpan ExitAnswerFloor = StopGrace / 40;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Remaining(long deadline)
        => TimeSpan.FromSeconds(Math.Max(0, deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private async Task<bool> WaitForNoCoroutinesAsync(TimeSpan timeout)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (InFlightCoroutines > 0)
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(1).ConfigureAwait(false);
        }

        return true;
    }
}
