namespace Interlude;

/// <summary>Configuration of a <see cref="LoopListener"/>.</summary>
public sealed class LoopListenerOptions
{
    /// <summary>How many connections the kernel queues for the listener before refusing more.</summary>
    /// <remarks>Defaults to 512.</remarks>
    public int Backlog { get; set; } = 512;

    /// <summary>Whether accepted sockets disable Nagle's algorithm (TCP_NODELAY).</summary>
    /// <remarks>Defaults to true.</remarks>
    public bool NoDelay { get; set; } = true;

    /// <summary>
    /// After an accept fails (out of file descriptors, typically), how long the listener waits before it tries
    /// again; meanwhile the kernel keeps the waiting connections queued.
    /// </summary>
    /// <remarks>Defaults to 10 ms.</remarks>
    public TimeSpan AcceptRetryDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Whether every loop of the group accepts connections on its own socket (SO_REUSEPORT, the kernel spreading
    /// connections over the loops); false accepts on the group's first loop only and gives the connections to the
    /// loops in turn. Falls back to the first loop where the kernel refuses SO_REUSEPORT.
    /// </summary>
    /// <remarks>Defaults to true.</remarks>
    public bool AcceptOnEveryLoop { get; set; } = true;

    internal void Validate()
    {
        if (Backlog < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Backlog), Backlog, "LoopListenerOptions.Backlog must be positive.");
        }

        if (AcceptRetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(AcceptRetryDelay), AcceptRetryDelay, "LoopListenerOptions.AcceptRetryDelay must not be negative.");
        }
    }
}
