namespace Interlude.Inference;

/// <summary>
/// What a caller submits to the device: a model's request, carried by value inside the seam's pooled operation.
/// Written by the caller before submitting; read by the device thread that takes it (the seam's rings order the
/// two). Nothing in it is changed after submission.
/// </summary>
/// <param name="runner">The model the request is for.</param>
/// <param name="payload">The model's own request: the inputs in model order (<see cref="InferenceTensor"/>[]) for
/// the tensor API, the token ids (<see cref="long"/>[]) for a text model.</param>
/// <param name="rows">Rows the request adds to a batch: its inputs' first dimension, or 1 for a text.</param>
/// <param name="length">For a text, its length in tokens; 0 otherwise.</param>
/// <param name="submittedAt">When it was made (Stopwatch ticks), for the queue delay.</param>
internal readonly struct InferenceRequest(ModelRunner runner, object payload, int rows, int length, long submittedAt)
{
    public ModelRunner Runner { get; } = runner;

    public object Payload { get; } = payload;

    public int Rows { get; } = rows;

    public int Length { get; } = length;

    public long SubmittedAt { get; } = submittedAt;
}
