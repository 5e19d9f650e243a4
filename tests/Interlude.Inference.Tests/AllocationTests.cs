using Interlude.Inference.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Inference.Tests;

/// <summary>The device thread allocates per batch (ONNX Runtime's own wrappers of a run), not per request.</summary>
public sealed class AllocationTests
{
    private const int Requests = 20;

    [Fact]
    public async Task ABatchOfManyTextsAllocatesOnTheDeviceThreadLessThanTheyDoOneByOne()
    {
        await using var rig = new InferenceRig(WaitStrategy.Block);
        TextEmbedder single = rig.Embedder;

        // The same model again, holding its requests until a batch of twenty is there: no gate, nothing else runs.
        TextEmbedder batched = InferenceRig.LoadEmbedder(rig.Device, o =>
        {
            o.MaxBatchSize = Requests;
            o.MaxQueueDelay = TimeSpan.FromHours(1);
        });
        string[] texts = Enumerable.Repeat(Texts.Mixed[1], Requests).ToArray();

        // Warm up: the thread's batch buffers and the pooled token-state buffers grow to their size.
        await TogetherAsync(rig, batched, texts);
        await OneByOneAsync(rig, single, texts);

        long before = await DeviceThreadAllocatedAsync(rig);
        await OneByOneAsync(rig, single, texts);
        long oneByOne = await DeviceThreadAllocatedAsync(rig) - before;

        before = await DeviceThreadAllocatedAsync(rig);
        await TogetherAsync(rig, batched, texts);
        long together = await DeviceThreadAllocatedAsync(rig) - before;

        Assert.Equal(2, batched.GetStatistics().Batches);
        Assert.Equal(2 * Requests, single.GetStatistics().Batches);
        Assert.True(
            together * 4 < oneByOne,
            $"one batch of {Requests} allocated {together} bytes on the device thread; {Requests} batches of one, {oneByOne}");
    }

    private static Task<long> DeviceThreadAllocatedAsync(InferenceRig rig)
        => rig.Device.SubmitAsync(static _ => GC.GetAllocatedBytesForCurrentThread(), 0).Guarded();

    private static Task OneByOneAsync(InferenceRig rig, TextEmbedder embedder, string[] texts)
        => rig.OnLoopAsync(async () =>
        {
            foreach (string text in texts)
            {
                await embedder.EmbedAsync(text);
            }

            return 0;
        });

    private static Task TogetherAsync(InferenceRig rig, TextEmbedder embedder, string[] texts)
        => rig.OnLoopAsync(() => embedder.EmbedAsync(texts));
}
