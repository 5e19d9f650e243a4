using System.Runtime.CompilerServices;

namespace Interlude;

/// <summary>
/// Awaitable returned by <see cref="Loop.Yield"/>: requeues the continuation at the back of the current
/// loop's run queue (no allocation; the continuation delegate is the state machine's cached one). Off a loop it
/// behaves like <see cref="Task.Yield"/>.
/// </summary>
public readonly struct LoopYieldAwaitable
{
    /// <summary>Gets the awaiter.</summary>
    public Awaiter GetAwaiter() => default;

    /// <summary>The awaiter; not used directly.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private static readonly Action<object?> s_invoke = static continuation => ((Action)continuation!)();

        /// <summary>Always false: awaiting always yields.</summary>
        public bool IsCompleted => false;

        /// <summary>Nothing to return.</summary>
        public void GetResult()
        {
        }

        /// <summary>Queues <paramref name="continuation"/> behind the loop's queued work.</summary>
        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        /// <summary>Queues <paramref name="continuation"/> behind the loop's queued work (the ThreadPool off a loop).</summary>
        public void UnsafeOnCompleted(Action continuation)
        {
            Loop? loop = Loop.Current;
            if (loop is not null)
            {
                loop.Schedule(s_invoke, continuation);
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(s_invoke, continuation, preferLocal: false);
            }
        }
    }
}
