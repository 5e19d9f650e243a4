namespace Interlude.Offload;

/// <summary>Where a device stores an operation's result.</summary>
/// <typeparam name="TResult">Exactly the awaited result's type.</typeparam>
internal interface IOperationResult<TResult>
{
    /// <summary>Device thread, while it holds the operation: the result the awaiter will get.</summary>
    void SetResult(TResult result);
}
