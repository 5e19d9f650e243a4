namespace Interlude;

/// <summary>
/// The device itself failed an offload (as opposed to a work function throwing): an error the device reported, a
/// request it completed without answering, or a device that stopped because its model failed.
/// </summary>
public sealed class AcceleratorException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public AcceleratorException()
        : base("The accelerator failed the operation.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public AcceleratorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public AcceleratorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
