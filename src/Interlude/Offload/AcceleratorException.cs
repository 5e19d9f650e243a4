namespace Interlude;

/// <summary>The device itself failed an offload (as opposed to the work function throwing).</summary>
public sealed class AcceleratorException : Exception
{
    public AcceleratorException()
        : base("The accelerator failed the operation.")
    {
    }

    public AcceleratorException(string message)
        : base(message)
    {
    }

    public AcceleratorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
