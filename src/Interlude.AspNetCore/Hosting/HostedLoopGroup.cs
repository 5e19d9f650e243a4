using System.Diagnostics;
using Interlude.AspNetCore.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Interlude.AspNetCore.Hosting;

/// <summary>
/// The loop group registered with <c>AddInterlude</c>, its lifetime the host's: created when the host starts
/// (or when something resolves it first), stopped after every hosted service has stopped (Kestrel included, so
/// its connections have drained first), draining for what is left of the host's shutdown timeout and then
/// cancelling what remains.
/// </summary>
internal sealed class HostedLoopGroup : IHostedLifecycleService, IAsyncDisposable
{
    private readonly IOptions<LoopGroupOptions> _options;
    private readonly IOptions<HostOptions> _hostOptions;
    private readonly ILogger _logger;
    private readonly Lazy<LoopGroup> _group;

    // Written by the host's stopping callback, read by its stopped callback (the host runs them in order).
    private long _stoppingAt;

    public HostedLoopGroup(IOptions<LoopGroupOptions> options, IOptions<HostOptions> hostOptions, ILoggerFactory loggerFactory)
    {
        _options = options;
        _hostOptions = hostOptions;
        _logger = loggerFactory.CreateLogger("Interlude.AspNetCore");
        _group = new Lazy<LoopGroup>(Create, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public LoopGroup Group => _group.Value;

    /// <summary>The report of the stop, once the host has stopped the group.</summary>
    public ShutdownReport? LastStop { get; private set; }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = _group.Value;
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stoppingAt = Stopwatch.GetTimestamp();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (!_group.IsValueCreated)
        {
            return;
        }

        TimeSpan spent = _stoppingAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_stoppingAt);
        TimeSpan drain = _hostOptions.Value.ShutdownTimeout - spent;
        LastStop = await _group.Value.StopAsync(drain > TimeSpan.Zero ? drain : TimeSpan.Zero).ConfigureAwait(false);
        InterludeTransportLog.LoopGroupStopped(_logger, LastStop.Drained, LastStop.CancelledOffloads, LastStop.CancelledTimers, LastStop.Abandoned);
    }

    /// <summary>With the host's services: a group the host never stopped (it never started) is stopped here.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_group.IsValueCreated)
        {
            await _group.Value.StopAsync(_hostOptions.Value.ShutdownTimeout).ConfigureAwait(false);
        }
    }

    private LoopGroup Create()
    {
        var group = new LoopGroup(_options.Value);
        LoopGroupLogging.Attach(group, _logger);
        return group;
    }
}
