using System.Buffers;
using System.Net;
using Interlude.AspNetCore.Internal;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Interlude.AspNetCore;

/// <summary>
/// Kestrel's connection listener factory for Interlude: binds TCP endpoints whose connections live on Interlude
/// loops. Registered by <c>UseInterlude</c>.
/// </summary>
/// <remarks>
/// The loop group is the one from <see cref="InterludeTransportOptions.LoopGroup"/>, or one the factory creates
/// on the first bind and stops when it is disposed (with the host's services). The stalls and unhandled faults of
/// a group the factory creates are logged through the host's logging (category <c>Interlude.AspNetCore</c>):
/// a stall as a warning while it lasts and as information when it ends, a loop the OS descheduled at debug level,
/// a fault as an error. A supplied group is left to whoever supplied it. Creating the factory applies
/// <see cref="InterludeTransportOptions.InlineSocketCompletions"/>.
/// </remarks>
public sealed class InterludeTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(5);

    private readonly InterludeTransportOptions _options;
    private readonly ILogger _logger;
    private readonly MemoryPool<byte> _pool;
    private readonly object _gate = new();

    // Created under _gate by the first bind; read by later binds and by disposal.
    private LoopGroup? _ownedGroup;

    /// <summary>Creates the factory (normally done by dependency injection).</summary>
    public InterludeTransportFactory(
        IOptions<InterludeTransportOptions> options,
        ILoggerFactory loggerFactory,
        IMemoryPoolFactory<byte>? memoryPoolFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        _options.Validate();
        _logger = loggerFactory.CreateLogger("Interlude.AspNetCore");
        SocketCompletions = _options.InlineSocketCompletions ? SocketCompletionMode.Apply(_logger) : SocketCompletionOutcome.NotRequested;
        _pool = memoryPoolFactory?.Create(new MemoryPoolOptions { Owner = "Interlude" }) ?? MemoryPool<byte>.Shared;
    }

    /// <summary>What <see cref="InterludeTransportOptions.InlineSocketCompletions"/> found when the factory was created.</summary>
    internal SocketCompletionOutcome SocketCompletions { get; }

    /// <summary>Whether this transport can serve <paramref name="endpoint"/>: IP endpoints, on Linux.</summary>
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint && OperatingSystem.IsLinux();

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not IPEndPoint ip)
        {
            throw new NotSupportedException($"The Interlude transport serves IP endpoints only, not {endpoint.GetType().Name}.");
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The Interlude transport uses epoll, which only Linux has.");
        }

        return ValueTask.FromResult<IConnectionListener>(InterludeConnectionListener.Bind(Group(), ip, _pool, _options, _logger));
    }

    /// <summary>Stops the loop group the factory created, if any.</summary>
    public async ValueTask DisposeAsync()
    {
        LoopGroup? group;
        lock (_gate)
        {
            group = _ownedGroup;
            _ownedGroup = null;
        }

        if (group is not null)
        {
            await group.StopAsync(s_stopTimeout).ConfigureAwait(false);
        }

        if (!ReferenceEquals(_pool, MemoryPool<byte>.Shared))
        {
            _pool.Dispose();
        }
    }

    /// <summary>Stops the loop group the factory created, if any, and waits.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private LoopGroup Group()
    {
        if (_options.LoopGroup is { } supplied)
        {
            return supplied;
        }

        lock (_gate)
        {
            if (_ownedGroup is null)
            {
                _ownedGroup = new LoopGroup(_options.Loops);
                LoopGroupLogging.Attach(_ownedGroup, _logger);
            }

            return _ownedGroup;
        }
    }
}
