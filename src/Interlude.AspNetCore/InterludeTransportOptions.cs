namespace Interlude.AspNetCore;

/// <summary>Configuration of the Interlude transport for Kestrel.</summary>
public sealed class InterludeTransportOptions
{
    /// <summary>
    /// The loops connections live on. When set, the transport uses it and never stops it; when null, the transport
    /// creates a group from <see cref="Loops"/> on the first bind and stops it when the host is disposed.
    /// </summary>
    /// <remarks>Defaults to null.</remarks>
    public LoopGroup? LoopGroup { get; set; }

    /// <summary>Options for the group the transport creates when <see cref="LoopGroup"/> is null.</summary>
    /// <remarks>
    /// Defaults to one pinned loop per core with the <see cref="WaitStrategy.Block"/> strategy: socket readiness
    /// reaches a sleeping loop through epoll, and a loop that spins while idle takes its core from every other
    /// thread of the machine (a co-located load generator, for one). On cores reserved for the loops, Adaptive
    /// or Poll trade that CPU for a shorter wake-up.
    /// </remarks>
    public LoopGroupOptions Loops { get; set; } = new() { WaitStrategy = WaitStrategy.Block };

    /// <summary>Whether accepted sockets disable Nagle's algorithm (TCP_NODELAY).</summary>
    /// <remarks>Defaults to true.</remarks>
    public bool NoDelay { get; set; } = true;

    /// <summary>
    /// Whether every loop accepts connections on its own socket (SO_REUSEPORT) and serves those it accepted; false
    /// accepts on the group's first loop and gives connections to the loops in turn. See
    /// <see cref="LoopListenerOptions.AcceptOnEveryLoop"/>.
    /// </summary>
    /// <remarks>Defaults to true.</remarks>
    public bool AcceptOnEveryLoop { get; set; } = true;

    /// <summary>The listen backlog.</summary>
    /// <remarks>Defaults to 512.</remarks>
    public int Backlog { get; set; } = 512;

    /// <summary>
    /// Bytes received and not yet consumed by the application beyond which the transport stops reading from the
    /// socket until the application catches up; null for no limit.
    /// </summary>
    /// <remarks>Defaults to 1 MiB.</remarks>
    public long? MaxReadBufferSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Bytes written by the application and not yet sent beyond which its flushes wait; null for no limit.
    /// </summary>
    /// <remarks>Defaults to 64 KiB.</remarks>
    public long? MaxWriteBufferSize { get; set; } = 64 * 1024;

    /// <summary>
    /// The engine TLS handshake steps run on; null (the default) leaves them where SslStream continues them, or on
    /// the connection's loop with <see cref="TlsHandshakesOnLoop"/>. Set it with <see cref="OffloadTlsHandshakes"/>.
    /// </summary>
    public Accelerator? TlsHandshakeEngine { get; set; }

    /// <summary>
    /// Whether the steps of every TLS handshake run inline on the connection's loop, the CPU-heavy ones included.
    /// Without it (and without <see cref="TlsHandshakeEngine"/>) SslStream continues them on the ThreadPool, as on
    /// any transport. Excludes <see cref="TlsHandshakeEngine"/>. Set it with <see cref="RunTlsHandshakesOnLoop"/>.
    /// </summary>
    /// <remarks>Defaults to false.</remarks>
    public bool TlsHandshakesOnLoop { get; set; }

    /// <summary>How a loop waits for a handshake step on <see cref="TlsHandshakeEngine"/>.</summary>
    /// <remarks>Defaults to <see cref="TlsHandshakeOffloadMode.Async"/>.</remarks>
    public TlsHandshakeOffloadMode TlsHandshakeMode { get; set; } = TlsHandshakeOffloadMode.Async;

    /// <summary>
    /// Whether the transport makes .NET's socket engine run socket completions inline on its own threads instead of
    /// queuing them to the ThreadPool, for every System.Net.Sockets socket of the process (database clients,
    /// HttpClient): a reply then reaches the loop in one hop, where the application's code resumes as before
    /// through the loop's synchronization context. The cost: library code that continues with
    /// <c>ConfigureAwait(false)</c> runs on the socket engine's threads, and must not block them.
    /// </summary>
    /// <remarks>
    /// Defaults to false. Process-wide and once: .NET reads <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> when
    /// its socket engine starts, which the transport sets (and then removes again) when it is created, before the
    /// server starts; the engine's threads (one per core in this mode) start then. It does not take effect when
    /// the process used a System.Net.Sockets socket earlier, and a value the environment already gives the
    /// variable is left as it is; either is logged as a warning, and setting
    /// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> before the process starts is the fix. When it is in
    /// effect each transport created with the option logs so at information level.
    /// </remarks>
    public bool InlineSocketCompletions { get; set; }

    /// <summary>
    /// Runs the CPU-heavy steps of every TLS handshake on <paramref name="engine"/>'s threads instead of the
    /// connection's loop, for endpoints configured with Kestrel's ordinary <c>UseHttps</c>: the certificate's
    /// signature and the key exchange. The application's configuration and handlers do not change.
    /// </summary>
    /// <returns>These options.</returns>
    public InterludeTransportOptions OffloadTlsHandshakes(Accelerator engine, TlsHandshakeOffloadMode mode = TlsHandshakeOffloadMode.Async)
    {
        ArgumentNullException.ThrowIfNull(engine);
        TlsHandshakeEngine = engine;
        TlsHandshakeMode = mode;
        return this;
    }

    /// <summary>
    /// Runs every TLS handshake's steps inline on the connection's loop, for endpoints configured with Kestrel's
    /// ordinary <c>UseHttps</c>: the handshake's crypto then costs the loop's core, and the loop's other connections
    /// wait while it runs. Keeps a server's work on its loops' cores; the baseline an offload is measured against.
    /// </summary>
    /// <returns>These options.</returns>
    public InterludeTransportOptions RunTlsHandshakesOnLoop()
    {
        TlsHandshakesOnLoop = true;
        return this;
    }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Loops, nameof(Loops));
        if (Backlog < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Backlog), Backlog, "Backlog must be positive.");
        }

        if (MaxReadBufferSize is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReadBufferSize), MaxReadBufferSize, "Must be non-negative or null.");
        }

        if (MaxWriteBufferSize is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxWriteBufferSize), MaxWriteBufferSize, "Must be non-negative or null.");
        }

        if (TlsHandshakesOnLoop && TlsHandshakeEngine is not null)
        {
            throw new ArgumentException(
                $"{nameof(TlsHandshakesOnLoop)} and {nameof(TlsHandshakeEngine)} exclude each other: handshake steps run either on the connection's loop or on the engine '{TlsHandshakeEngine.Name}'.",
                nameof(TlsHandshakesOnLoop));
        }

        if (!Enum.IsDefined(TlsHandshakeMode))
        {
            throw new ArgumentOutOfRangeException(nameof(TlsHandshakeMode), TlsHandshakeMode, "Must be Async, Block or Spin.");
        }
    }
}
