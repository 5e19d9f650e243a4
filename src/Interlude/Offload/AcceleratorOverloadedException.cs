namespace Interlude;

/// <summary>
/// A submission the device could not take: its rings were full and as many submissions as
/// <see cref="AcceleratorOptions.MaxQueuedSubmissions"/> already waited on the submitting loop, so the submission
/// was refused (or, with <see cref="OffloadOverflow.ShedOldest"/>, the oldest waiting one was shed for it).
/// Nothing reached the device; retrying later, or answering the request with "busy", is the caller's choice.
/// </summary>
public sealed class AcceleratorOverloadedException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public AcceleratorOverloadedException()
        : base("The accelerator is overloaded.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public AcceleratorOverloadedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public AcceleratorOverloadedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
