using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Interlude.Crypto;

/// <summary>
/// Turns the seam's <see cref="ValueTask{TResult}"/> into the plain <see cref="ValueTask"/> that
/// <see cref="CryptoEngine.SealAsync"/> and <see cref="CryptoEngine.OpenAsync"/> return, without allocating and
/// without a hop through the loop's queue: on a loop, a pooled <see cref="IValueTaskSource"/> built on
/// <see cref="LoopValueTaskSourceCore{TResult}"/> waits for the operation and resumes the awaiter inline on that
/// loop. (An async method, even with a pooled builder, would post the awaiter's continuation to the loop's
/// synchronization context, allocating for it.) Off any loop, a pooled async method does it.
/// </summary>
internal sealed class ResultDiscarder : IValueTaskSource
{
    private const int PoolLimit = 1024;

    [ThreadStatic]
    private static Stack<ResultDiscarder>? t_pool;

    private readonly Action _onOperationCompleted;

    // Loop thread: the operation waited for, and the awaiter's side.
    private ValueTaskAwaiter<int> _operation;
    private LoopValueTaskSourceCore<bool> _core;

    private ResultDiscarder() => _onOperationCompleted = OnOperationCompleted;

    /// <summary>Completes when <paramref name="operation"/> does, with its failure if it fails, without its result.</summary>
    internal static ValueTask Discard(ValueTask<int> operation)
    {
        if (operation.IsCompletedSuccessfully)
        {
            _ = operation.Result;
            return default;
        }

        if (operation.IsCompleted || Loop.Current is null)
        {
            return AwaitAsync(operation);
        }

        ResultDiscarder discarder = t_pool is { Count: > 0 } pool ? pool.Pop() : new ResultDiscarder();
        discarder._operation = operation.GetAwaiter();

        // On this loop, the operation completes on this loop: its continuation (below) runs inline, and so then
        // does the awaiter's.
        discarder._operation.UnsafeOnCompleted(discarder._onOperationCompleted);
        return new ValueTask(discarder, discarder._core.Version);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            if (Loop.Current is not null)
            {
                Stack<ResultDiscarder> pool = t_pool ??= new Stack<ResultDiscarder>();
                if (pool.Count < PoolLimit)
                {
                    pool.Push(this);
                }
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask AwaitAsync(ValueTask<int> operation) => await operation.ConfigureAwait(false);

    private void OnOperationCompleted()
    {
        ValueTaskAwaiter<int> operation = _operation;
        _operation = default;
        try
        {
            // Reading the outcome also hands the seam's operation back to its pool.
            _ = operation.GetResult();
        }
        catch (Exception ex)
        {
            _core.SetException(ex);
            return;
        }

        _core.SetResult(true);
    }
}
