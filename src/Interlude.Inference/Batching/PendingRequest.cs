namespace Interlude.Inference;

/// <summary>A request a device thread holds: the seam's handle and what it carries. Device thread only.</summary>
internal readonly struct PendingRequest(DeviceOperation operation, InferenceRequest request)
{
    public DeviceOperation Operation { get; } = operation;

    public InferenceRequest Request { get; } = request;
}
