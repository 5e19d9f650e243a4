namespace InferenceServer.Protocol;

/// <summary>
/// A request the server refuses, with the HTTP status it answers and a message naming what was wrong: malformed
/// JSON, an unknown model or input, a wrong shape or data type, an undecodable image, an input over a limit.
/// </summary>
public sealed class InferenceRequestException : Exception
{
    public InferenceRequestException(int statusCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    public InferenceRequestException()
        : this(400, "The request is not valid.")
    {
    }

    public InferenceRequestException(string message)
        : this(400, message)
    {
    }

    public InferenceRequestException(string message, Exception inner)
        : this(400, message, inner)
    {
    }

    /// <summary>The HTTP status to answer with: 400, 404, 413 or 422.</summary>
    public int StatusCode { get; }

    public static InferenceRequestException BadRequest(string message) => new(400, message);
}
