using Interlude.Tests.Infrastructure;

namespace Interlude.Crypto.Tests.Infrastructure;

/// <summary>
/// An engine and a loop group sized for a small shared machine: unpinned loops and engine threads (the tests
/// must pass on two cores), an engine thread that sleeps soon after it runs out of work, no stall reports.
/// </summary>
internal sealed class CryptoRig : IAsyncDisposable
{
    public static readonly TimeSpan IdleSpin = TimeSpan.FromMicroseconds(50);

    public CryptoRig(int loops = 1, int threads = 1, Action<CryptoEngineOptions>? configure = null)
    {
        Group = new LoopGroup(new LoopGroupOptions
        {
            LoopCount = loops,
            PinThreads = false,
            StallThreshold = TimeSpan.Zero,
        });
        try
        {
            Engine = CreateEngine(threads, configure);
        }
        catch
        {
            Group.Dispose();
            throw;
        }
    }

    public LoopGroup Group { get; }

    public CryptoEngine Engine { get; }

    public Loop Loop => Group[0];

    public static CryptoEngine CreateEngine(int threads = 1, Action<CryptoEngineOptions>? configure = null)
    {
        var options = new CryptoEngineOptions { Threads = threads, IdleSpin = IdleSpin };
        configure?.Invoke(options);
        return new CryptoEngine(options);
    }

    /// <summary>Runs <paramref name="body"/> as a coroutine on the first loop, checking it resumes on that loop.</summary>
    public Task<T> OnLoopAsync<T>(Func<ValueTask<T>> body) => Loop.RunAsync(body).Guarded();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Group.StopAsync(TimeSpan.FromSeconds(5)).Guarded();
        }
        finally
        {
            Engine.Dispose();
        }
    }
}
