using Interlude.Inference.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Inference.Tests;

public sealed class ShutdownTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task DisposingTheDeviceFailsTheQueuedRequestsAndEveryLaterOne(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy, configureEmbedder: o => o.MaxQueueDelay = TimeSpan.FromHours(1));
        TextEmbedder embedder = rig.Embedder;
        Task<float[]>[] queued = Texts.Mixed.Take(3).Select(t => rig.OnLoopAsync(() => embedder.EmbedAsync(t))).ToArray();
        await Eventually.TrueAsync(() => embedder.GetStatistics().RequestsQueued == 3, "three requests wait for their batch");

        rig.Device.Dispose();

        foreach (Task<float[]> request in queued)
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(() => request);
        }

        Assert.True(rig.Device.IsDisposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => rig.OnLoopAsync(() => embedder.EmbedAsync(Texts.Mixed[0])));
        InferenceModelStatistics statistics = embedder.GetStatistics();
        Assert.Equal(0, statistics.RequestsQueued);
        Assert.Equal(0, statistics.Batches);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task StoppingTheLoopGroupCancelsOutstandingRequestsAndNothingHangs(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy, loops: 2, configureEmbedder: o => o.MaxQueueDelay = TimeSpan.FromHours(1));
        TextEmbedder embedder = rig.Embedder;
        Task<float[]>[] outstanding = rig.Group.Loops
            .SelectMany(loop => Texts.Mixed.Take(2).Select(t => loop.RunAsync(() => embedder.EmbedAsync(t))))
            .ToArray();
        await Eventually.TrueAsync(() => embedder.GetStatistics().RequestsQueued == 4, "four requests wait for their batch");

        await rig.Group.StopAsync(TimeSpan.FromMilliseconds(50)).Guarded();

        foreach (Task<float[]> request in outstanding)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.Guarded());
        }

        // The device still holds them (their loops are gone); stopping it hands them back without running them.
        rig.Device.Dispose();
        InferenceModelStatistics statistics = embedder.GetStatistics();
        Assert.Equal(0, statistics.RequestsQueued);
        Assert.Equal(0, statistics.Batches);
    }

    [Fact]
    public async Task DisposingWhileTheDeviceIsBusyFailsWhatHasNotStarted()
    {
        await using var rig = new InferenceRig(WaitStrategy.Block);
        TextEmbedder embedder = rig.Embedder;
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<float[][]> run;
        Task dispose;
        using (DeviceGate gate = await DeviceGate.HoldAsync(rig.Device))
        {
            run = rig.OnLoopAsync(async () =>
            {
                ValueTask<float[][]> pending = embedder.EmbedAsync(Texts.Mixed);
                submitted.SetResult();
                return await pending;
            });
            await submitted.Task.Guarded();

            // Dispose waits for the device thread, which is in the gate; the requests behind it never start.
            dispose = Task.Run(rig.Device.Dispose);
            await Eventually.TrueAsync(() => rig.Device.IsDisposed, "the device is stopping");
            await gate.OpenAsync();
        }

        await dispose.Guarded();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => run);
        Assert.Equal(0, embedder.GetStatistics().Batches);
    }
}
