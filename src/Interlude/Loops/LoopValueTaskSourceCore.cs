using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;
using Interlude.Loops;

namespace Interlude;

/// <summary>
/// The core of a reusable, loop-aware <see cref="IValueTaskSource{TResult}"/>, in the spirit of
/// <see cref="ManualResetValueTaskSourceCore{TResult}"/>: when an operation completes on the loop its awaiter
/// suspended on, the continuation runs inline there (no queue, no context post, no allocation); completed on any
/// other thread, the continuation is posted to the awaiter's loop (or its context or scheduler), and a
/// continuation that captured nothing goes to the ThreadPool. A device that completes by being polled keeps one
/// in each of its (pooled) operation objects and completes it from its <see cref="ILoopPoller.Poll"/>.
/// </summary>
/// <remarks>
/// Usage: the operation object implements <see cref="IValueTaskSource{TResult}"/> by forwarding to this core,
/// hands out <c>new ValueTask&lt;T&gt;(this, core.Version)</c>, completes it once with <see cref="SetResult"/> or
/// <see cref="SetException"/>, and calls <see cref="Reset"/> before reusing it, once the awaiter has called
/// <see cref="GetResult"/>. Thread rules: <see cref="OnCompleted"/> runs on the awaiting thread,
/// <see cref="SetResult"/> / <see cref="SetException"/> on the completing thread; they meet through one
/// compare-exchange on the continuation field, or through plain writes when <see cref="CompletesOn"/> names the
/// loop that does both. A version number guards against using a recycled operation through a stale ValueTask.
/// Being a mutable struct, it must live in a field of its operation and never be copied.
/// </remarks>
/// <typeparam name="TResult">The operation's result.</typeparam>
public struct LoopValueTaskSourceCore<TResult>
{
    private static readonly Action<object?> s_completedSentinel = static _ => throw new InvalidOperationException("Sentinel invoked.");

    private Action<object?>? _continuation;
    private object? _continuationState;
    private Loop? _capturedLoop;
    private object? _capturedContext;
    private ExecutionContext? _executionContext;
    private ExceptionDispatchInfo? _error;
    private TResult? _result;
    private int _completed;

    /// <summary>The current version; a ValueTask made with another one is stale.</summary>
    public short Version { get; private set; }

    /// <summary>
    /// Run a continuation that captured no context inline on whatever thread completes the operation, even a
    /// device thread, instead of the ThreadPool. Only for waiters whose continuation merely releases a blocked or
    /// spinning thread. Cleared by <see cref="Reset"/>.
    /// </summary>
    /// <remarks>Defaults to false.</remarks>
    public bool UnsafeInlineCompletions { get; set; }

    /// <summary>
    /// The loop whose thread alone completes this operation, or null when any thread may. When it is set, the
    /// completion and an awaiter registering on that loop cannot race, so neither takes a locked instruction on
    /// the operation's cache line (a line a device thread has just read, whose ownership a locked instruction
    /// would have to wait for). Awaiters on other threads still register with a compare-exchange. Completing the
    /// operation on any other thread is a bug (checked in debug builds). Cleared by <see cref="Reset"/>.
    /// </summary>
    /// <remarks>Defaults to null.</remarks>
    public Loop? CompletesOn { get; set; }

    /// <summary>Whether the operation has completed (any thread).</summary>
    public readonly bool IsCompleted => Volatile.Read(ref Unsafe.AsRef(in _completed)) != 0;

    /// <summary>Prepares the core for the operation's next use: a new version, no outcome, no continuation.</summary>
    public void Reset()
    {
        Version++;
        _continuation = null;
        _continuationState = null;
        _capturedLoop = null;
        _capturedContext = null;
        _executionContext = null;
        _error = null;
        _result = default;
        _completed = 0;
        CompletesOn = null;
        UnsafeInlineCompletions = false;
    }

    /// <summary>For <see cref="IValueTaskSource{TResult}.GetStatus"/>.</summary>
    public readonly ValueTaskSourceStatus GetStatus(short token)
    {
        ValidateToken(token);
        return !IsCompleted ? ValueTaskSourceStatus.Pending
            : _error is null ? ValueTaskSourceStatus.Succeeded
            : _error.SourceException is OperationCanceledException ? ValueTaskSourceStatus.Canceled
            : ValueTaskSourceStatus.Faulted;
    }

    /// <summary>For <see cref="IValueTaskSource{TResult}.GetResult"/>: the result, or the failure rethrown.</summary>
    /// <exception cref="InvalidOperationException">The token is stale or the operation has not completed.</exception>
    public readonly TResult GetResult(short token)
    {
        ValidateToken(token);
        if (!IsCompleted)
        {
            throw new InvalidOperationException("The operation has not completed yet; await it instead of reading its result.");
        }

        _error?.Throw();
        return _result!;
    }

    /// <summary>For <see cref="IValueTaskSource{TResult}.OnCompleted"/>: registers the awaiter's continuation.</summary>
    /// <exception cref="InvalidOperationException">The token is stale or the operation was awaited twice.</exception>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ValidateToken(token);

        if ((flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0)
        {
            _executionContext = ExecutionContext.Capture();
        }

        if ((flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0)
        {
            SynchronizationContext? context = SynchronizationContext.Current;
            if (context is LoopSynchronizationContext loopContext)
            {
                _capturedLoop = loopContext.Loop;
            }
            else if (context is not null && context.GetType() != typeof(SynchronizationContext))
            {
                _capturedContext = context;
            }
            else if (TaskScheduler.Current != TaskScheduler.Default)
            {
                _capturedContext = TaskScheduler.Current;
            }
        }

        _continuationState = state;
        Action<object?>? previous;
        if (CompletesOn is { IsCurrent: true })
        {
            // The completing thread is this one: nothing can complete the operation while we register.
            previous = _continuation;
            if (previous is null)
            {
                _continuation = continuation;
            }
        }
        else
        {
            previous = Interlocked.CompareExchange(ref _continuation, continuation, null);
        }

        if (previous is not null)
        {
            Debug.Assert(ReferenceEquals(previous, s_completedSentinel), "awaited twice");
            if (!ReferenceEquals(previous, s_completedSentinel))
            {
                throw new InvalidOperationException("A ValueTask from an Interlude operation may be awaited only once.");
            }

            // Completed between the awaiter's IsCompleted check and now: never run inline here, the awaiter's
            // caller is still on the stack.
            Invoke(continuation, state, forceAsync: true);
        }
    }

    /// <summary>Completes the operation with <paramref name="result"/> and resumes its awaiter, inline when on the awaiter's loop.</summary>
    /// <exception cref="InvalidOperationException">It was already completed.</exception>
    public void SetResult(TResult result)
    {
        _result = result;
        SignalCompletion();
    }

    /// <summary>Completes the operation with <paramref name="error"/> and resumes its awaiter, inline when on the awaiter's loop.</summary>
    /// <exception cref="InvalidOperationException">It was already completed.</exception>
    public void SetException(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _error = ExceptionDispatchInfo.Capture(error);
        SignalCompletion();
    }

    private void SignalCompletion()
    {
        if (CompletesOn is not null)
        {
            // Only this thread completes it: a plain check, then a release write so an awaiter that sees the
            // flag also sees the outcome. A registration racing from another thread is settled by the
            // compare-exchange below, which runs whenever no continuation is visible yet.
            Debug.Assert(CompletesOn.IsCurrent, "only the loop named in CompletesOn completes the operation");
            if (_completed != 0)
            {
                throw new InvalidOperationException("The operation was already completed.");
            }

            Volatile.Write(ref _completed, 1);
        }
        else if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            throw new InvalidOperationException("The operation was already completed.");
        }

        // An acquire read: an awaiter on another thread publishes its continuation's state before the continuation.
        Action<object?>? continuation = Volatile.Read(ref _continuation) ?? Interlocked.CompareExchange(ref _continuation, s_completedSentinel, null);
        if (continuation is not null)
        {
            Invoke(continuation, _continuationState, forceAsync: false);
        }
    }

    private readonly void Invoke(Action<object?> continuation, object? state, bool forceAsync)
    {
        if (_executionContext is not null)
        {
            // Rare (only ValueTask.OnCompleted callers that ask for it): restore it on the chosen thread.
            ExecutionContext context = _executionContext;
            var inner = continuation;
            continuation = s => ExecutionContext.Run(context, c => inner(c), s);
        }

        if (_capturedLoop is not null)
        {
            if (!forceAsync && _capturedLoop.IsCurrent)
            {
                continuation(state);
            }
            else
            {
                _capturedLoop.Schedule(continuation, state);
            }
        }
        else if (_capturedContext is SynchronizationContext context)
        {
            context.Post(static s => { var (c, st) = ((Action<object?>, object?))s!; c(st); }, (continuation, state));
        }
        else if (_capturedContext is TaskScheduler scheduler)
        {
            Task.Factory.StartNew(continuation, state, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);
        }
        else if (!forceAsync && (UnsafeInlineCompletions || Loop.Current is not null))
        {
            // ConfigureAwait(false) and completed on a loop (or asked for): resuming inline is what the awaiter
            // asked for.
            continuation(state);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: false);
        }
    }

    private readonly void ValidateToken(short token)
    {
        if (token != Version)
        {
            throw new InvalidOperationException("This ValueTask was already consumed; its operation has been reused.");
        }
    }
}
