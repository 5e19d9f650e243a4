namespace InferenceServer.Protocol;

/// <summary>An inference request of the Open Inference Protocol: its id, its input tensors, and the outputs asked for (null: all).</summary>
public sealed record InferRequest(string? Id, IReadOnlyList<InferTensor> Inputs, IReadOnlyList<string>? Outputs);
