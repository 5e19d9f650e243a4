namespace Interlude.Inference.Vision;

/// <summary>
/// The bytes given as an image are not one the decoder can read whole: an unknown format, a corrupt or truncated
/// file, or no bytes at all. A server answers it with 400 Bad Request: the request, not the server, is at fault.
/// </summary>
public class InvalidImageException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public InvalidImageException()
        : base("The bytes are not an image that can be decoded.")
    {
    }

    /// <summary>Creates the exception with a message saying what is wrong.</summary>
    public InvalidImageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public InvalidImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
