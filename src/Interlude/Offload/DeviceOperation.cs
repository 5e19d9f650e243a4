using Interlude.Offload;

namespace Interlude;

/// <summary>
/// One operation as a <see cref="DeviceWorker"/> sees it, from the moment the worker takes it until it hands it
/// back with <see cref="DeviceWorker.Complete"/>. A small handle: copying it copies no operation.
/// </summary>
/// <remarks>
/// <see cref="Argument"/> and <see cref="HasPayload"/> come from the submission ring's slot, so a device that
/// needs only the argument (a delay, a doorbell, an opcode) never reads the operation itself and its cache lines
/// stay with the loop that submitted it. Everything else reads the operation. Every member is for the device
/// thread that holds the operation; after <see cref="DeviceWorker.Complete"/> the handle must not be used again
/// (the operation goes back to its loop and is reused).
/// </remarks>
public readonly struct DeviceOperation
{
    private readonly OffloadOperation _operation;
    private readonly DeviceChannel? _channel;
    private readonly long _descriptor;

    internal DeviceOperation(OffloadOperation operation, DeviceChannel? channel, long descriptor)
    {
        _operation = operation;
        _channel = channel;
        _descriptor = descriptor;
    }

    /// <summary>The device-defined argument the operation was submitted with (0 when none).</summary>
    public long Argument => OperationDescriptor.Argument(_descriptor);

    /// <summary>
    /// Whether the operation carries a work function (run it with <see cref="Execute"/>) or a request (read it
    /// with <see cref="GetRequest{TRequest}"/> and answer with <see cref="SetResult{TResult}"/>). When false it is
    /// only its argument, and the device completes it without touching anything else.
    /// </summary>
    public bool HasPayload => OperationDescriptor.HasPayload(_descriptor);

    /// <summary>
    /// Whether the awaiter has cancelled the operation. A device should drop such work before spending on it:
    /// complete it at once, without running it; the awaiter has already been (or will be) failed with
    /// <see cref="OperationCanceledException"/>. Reads the operation.
    /// </summary>
    public bool IsCancellationRequested => _operation.CancelRequested;

    /// <summary>Whether this handle refers to an operation (false for <c>default</c>).</summary>
    public bool IsValid => _operation is not null;

    internal OffloadOperation Operation => _operation;

    internal DeviceChannel? Channel => _channel;

    internal long Descriptor => _descriptor;

    /// <summary>
    /// Runs the operation's work function on the calling (device) thread, keeping its result or its exception
    /// for the awaiter. Does nothing for an operation without one.
    /// </summary>
    public void Execute() => _operation.Execute();

    /// <summary>The request the operation was submitted with.</summary>
    /// <typeparam name="TRequest">Exactly the type it was submitted as.</typeparam>
    /// <exception cref="InvalidOperationException">The operation carries no request of that type.</exception>
    public TRequest GetRequest<TRequest>()
        => TryGetRequest(out TRequest request)
            ? request
            : throw new InvalidOperationException($"The operation carries no request of type {typeof(TRequest).Name}.");

    /// <summary>The request the operation was submitted with, if it was submitted as <typeparamref name="TRequest"/>.</summary>
    public bool TryGetRequest<TRequest>(out TRequest request)
    {
        if (_operation is IOperationRequest<TRequest> carrier)
        {
            request = carrier.Request;
            return true;
        }

        request = default!;
        return false;
    }

    /// <summary>Stores the result the awaiter will get when the operation is completed.</summary>
    /// <typeparam name="TResult">Exactly the awaited result's type.</typeparam>
    /// <exception cref="InvalidOperationException">The operation's awaiter expects another result type.</exception>
    public void SetResult<TResult>(TResult result)
    {
        if (_operation is not IOperationResult<TResult> sink)
        {
            throw new InvalidOperationException($"The operation's awaiter does not expect a result of type {typeof(TResult).Name}.");
        }

        sink.SetResult(result);
    }

    /// <summary>Fails the operation: the awaiter gets <paramref name="error"/> when it is completed.</summary>
    public void SetError(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _operation.SetError(error);
    }
}
