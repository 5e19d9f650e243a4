namespace Interlude.Inference;

/// <summary>What was wrong with a request's inputs (<see cref="InferenceInputException.Error"/>).</summary>
public enum InferenceInputError
{
    /// <summary>An input the model does not have.</summary>
    UnknownInput = 0,

    /// <summary>An input the model needs was not given.</summary>
    MissingInput = 1,

    /// <summary>The same input was given twice.</summary>
    DuplicateInput = 2,

    /// <summary>An input's element type is not the model's.</summary>
    WrongDataType = 3,

    /// <summary>
    /// An input's shape does not fit the model's (rank, a fixed dimension, a batch dimension that differs between
    /// inputs or is zero), or its data does not hold the shape's number of elements.
    /// </summary>
    WrongShape = 4,

    /// <summary>A text is longer, in tokens, than the model's configured limit, and truncation was not asked for.</summary>
    TooManyTokens = 5,
}
