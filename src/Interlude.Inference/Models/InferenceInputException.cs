namespace Interlude.Inference;

/// <summary>
/// A request's inputs do not fit the model: a client's mistake (an inference server answers it with 400), found
/// when the request is made, before anything is submitted. The device is unaffected.
/// </summary>
public sealed class InferenceInputException : ArgumentException
{
    internal InferenceInputException(InferenceInputError error, string? inputName, string message)
        : base(message)
    {
        Error = error;
        InputName = inputName;
    }

    /// <summary>What was wrong.</summary>
    public InferenceInputError Error { get; }

    /// <summary>The input concerned, when the problem is one input's.</summary>
    public string? InputName { get; }
}
