namespace Interlude.Offload;

/// <summary>An operation's request as its device reads it: the state it was submitted with.</summary>
/// <typeparam name="TRequest">Exactly the submitted state's type.</typeparam>
internal interface IOperationRequest<TRequest>
{
    /// <summary>Device thread, while it holds the operation.</summary>
    TRequest Request { get; }
}
