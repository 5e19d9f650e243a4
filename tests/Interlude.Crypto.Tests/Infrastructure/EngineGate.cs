using Interlude.Tests.Infrastructure;

namespace Interlude.Crypto.Tests.Infrastructure;

/// <summary>
/// Holds an engine thread in a work function until opened, so that operations submitted meanwhile are queued,
/// not started. Submitted from off any loop, so no loop blocks.
/// </summary>
internal sealed class EngineGate : IDisposable
{
    private readonly ManualResetEventSlim _open = new();
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EngineGate(CryptoEngine engine)
    {
        Released = Task.Run(async () => await engine.SubmitAsync(
            static g =>
            {
                g._holding.SetResult();
                g._open.Wait();
                return 0;
            },
            this));
    }

    /// <summary>Completes when the gate's work function has returned.</summary>
    public Task Released { get; }

    /// <summary>Submits the gate and returns once the engine thread is held in it.</summary>
    public static async Task<EngineGate> HoldAsync(CryptoEngine engine)
    {
        var gate = new EngineGate(engine);
        await gate._holding.Task.Guarded();
        return gate;
    }

    public async Task OpenAsync()
    {
        _open.Set();
        await Released.Guarded();
    }

    public void Dispose()
    {
        _open.Set();
        _open.Dispose();
    }
}
