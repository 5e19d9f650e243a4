using Interlude.Inference.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Inference.Tests;

public sealed class BatchingTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task RequestsFromCoroutinesOnTwoLoopsCoalesceWhileTheDeviceIsBusy(WaitStrategy strategy)
    {
        const int perLoop = 12;
        await using var rig = new InferenceRig(strategy, loops: 2);
        TextEmbedder embedder = rig.Embedder;
        int submitted = 0;
        var tasks = new List<Task<(int Text, float[] Embedding)>>();

        using (DeviceGate gate = await DeviceGate.HoldAsync(rig.Device))
        {
            foreach (Loop loop in rig.Group.Loops)
            {
                for (int i = 0; i < perLoop; i++)
                {
                    int text = (i + loop.Index) % Texts.Mixed.Length;
                    tasks.Add(rig.OnLoopAsync(
                        async () =>
                        {
                            ValueTask<float[]> pending = embedder.EmbedAsync(Texts.Mixed[text]);
                            Interlocked.Increment(ref submitted);
                            return (text, await pending);
                        },
                        loop));
                }
            }

            await Eventually.TrueAsync(() => Volatile.Read(ref submitted) == 2 * perLoop, "every coroutine has submitted");
            await gate.OpenAsync();
        }

        (int Text, float[] Embedding)[] results = await Task.WhenAll(tasks).Guarded();

        InferenceModelStatistics statistics = embedder.GetStatistics();
        Assert.Equal(2 * perLoop, statistics.RequestsCompleted);
        Assert.True(statistics.Batches < 2 * perLoop, $"{statistics.Batches} batches for {2 * perLoop} requests");
        Assert.Equal(2 * perLoop, statistics.BatchSizeCounts.Select((count, size) => count * size).Sum());
        Assert.Equal(1, statistics.Batches);

        float[][] expected = Texts.Mixed.Select(t => Reference.Embedding(embedder.Tokenize(t))).ToArray();
        foreach ((int text, float[] embedding) in results)
        {
            Reference.Close(expected[text], embedding);
        }
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task MaxBatchSizeBoundsEveryBatch(WaitStrategy strategy)
    {
        const int count = 10;
        await using var rig = new InferenceRig(strategy, configureEmbedder: o => o.MaxBatchSize = 4);
        InferenceModelStatistics statistics = await RunHeldBackAsync(rig, Enumerable.Repeat(Texts.Mixed[1], count).ToArray());

        Assert.Equal(5, statistics.BatchSizeCounts.Count);
        Assert.Equal(count, statistics.BatchSizeCounts.Select((n, size) => n * size).Sum());
        Assert.Equal(2, statistics.BatchSizeCounts[4]);
        Assert.Equal(3, statistics.Batches);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task TheTokenBudgetBoundsEveryBatchsPaddedTokens(WaitStrategy strategy)
    {
        const int count = 9;
        await using var rig = new InferenceRig(strategy, configureEmbedder: o => o.MaxBatchTokens = 40);
        string text = Texts.Mixed[0];
        Assert.Equal(6, rig.Embedder.CountTokens(text));

        // Six tokens a text: six texts (36 padded tokens) fit in a batch, seven (42) do not.
        InferenceModelStatistics statistics = await RunHeldBackAsync(rig, Enumerable.Repeat(text, count).ToArray());

        Assert.Equal(count, statistics.BatchSizeCounts.Select((n, size) => n * size).Sum());
        Assert.Equal(1, statistics.BatchSizeCounts[6]);
        Assert.Equal(1, statistics.BatchSizeCounts[3]);
        Assert.All(statistics.BatchSizeCounts.Skip(7), n => Assert.Equal(0, n));
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AQueueDelayHoldsABatchUntilItFillsAndACancelledRequestLeavesOnlyItself(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy, configureEmbedder: o =>
        {
            o.MaxBatchSize = 4;
            o.MaxQueueDelay = TimeSpan.FromHours(1);
        });
        TextEmbedder embedder = rig.Embedder;
        using var cancel = new CancellationTokenSource();

        Task<float[]> a = rig.OnLoopAsync(() => embedder.EmbedAsync(Texts.Mixed[0]));
        Task<float[]> b = rig.OnLoopAsync(() => embedder.EmbedAsync(Texts.Mixed[1], cancel.Token));
        Task<float[]> c = rig.OnLoopAsync(() => embedder.EmbedAsync(Texts.Mixed[2]));
        await Eventually.TrueAsync(() => embedder.GetStatistics().RequestsQueued == 3, "three requests wait for their batch");

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        Assert.False(a.IsCompleted || c.IsCompleted);

        // The next submission wakes the device, which drops the cancelled request; the fourth fills the batch.
        Task<float[]> d = rig.OnLoopAsync(() => embedder.EmbedAsync(Texts.Mixed[4]));
        Task<float[]> e = rig.OnLoopAsync(() => embedder.EmbedAsync(Texts.Mixed[5]));
        float[][] results = await Task.WhenAll(a, c, d, e).Guarded();

        InferenceModelStatistics statistics = embedder.GetStatistics();
        Assert.Equal(1, statistics.Batches);
        Assert.Equal(1, statistics.BatchSizeCounts[4]);
        Assert.Equal(1, statistics.RequestsCancelled);
        Assert.Equal(0, statistics.RequestsQueued);
        int[] texts = [0, 2, 4, 5];
        for (int i = 0; i < texts.Length; i++)
        {
            Reference.Close(Reference.Embedding(embedder.Tokenize(Texts.Mixed[texts[i]])), results[i]);
        }
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task UnderBackpressureEveryRequestFromEveryLoopGetsItsOwnResult(WaitStrategy strategy)
    {
        const int perLoop = 120;
        await using var rig = new InferenceRig(strategy, loops: 2, configureDevice: o => o.RingCapacity = 8, configureEmbedder: o => o.MaxBatchSize = 8);
        TextEmbedder embedder = rig.Embedder;
        float[][] expected = Texts.Mixed.Select(t => Reference.Embedding(embedder.Tokenize(t))).ToArray();

        // Each loop submits all its requests before it first awaits, so all but a ring's worth wait on the loop.
        int[][] texts = rig.Group.Loops.Select(loop => Enumerable.Range(0, perLoop).Select(i => ((i * 7) + loop.Index) % Texts.Mixed.Length).ToArray()).ToArray();
        float[][][] results = await Task.WhenAll(rig.Group.Loops.Select(loop => rig.OnLoopAsync(
            async () =>
            {
                ValueTask<float[]>[] pending = texts[loop.Index].Select(t => embedder.EmbedAsync(Texts.Mixed[t])).ToArray();
                var embeddings = new float[pending.Length][];
                for (int i = 0; i < pending.Length; i++)
                {
                    embeddings[i] = await pending[i];
                }

                return embeddings;
            },
            loop))).Guarded();

        for (int l = 0; l < results.Length; l++)
        {
            for (int i = 0; i < perLoop; i++)
            {
                Reference.Close(expected[texts[l][i]], results[l][i]);
            }
        }

        InferenceModelStatistics statistics = embedder.GetStatistics();
        Assert.Equal(2 * perLoop, statistics.RequestsCompleted);
        Assert.Equal(2 * perLoop, statistics.BatchSizeCounts.Select((n, size) => n * size).Sum());
        Assert.Equal(0, statistics.RequestsQueued);
        Assert.True(rig.Group.GetStatistics().Sum(l => l.BackpressureWaits) > 0, "no submission found its ring full");
    }

    [Fact]
    public async Task ABatchThatIsNotFullRunsOnceItsOldestRequestHasWaitedTheQueueDelay()
    {
        await using var rig = new InferenceRig(WaitStrategy.Block, configureEmbedder: o =>
        {
            o.MaxBatchSize = 4;
            o.MaxQueueDelay = TimeSpan.FromSeconds(1);
        });
        TextEmbedder embedder = rig.Embedder;

        // Both are submitted before the coroutine first awaits: the first waits for the second, then for the delay.
        float[][] embeddings = await rig.OnLoopAsync(() => embedder.EmbedAsync([Texts.Mixed[0], Texts.Mixed[1]]));

        InferenceModelStatistics statistics = embedder.GetStatistics();
        Assert.Equal(1, statistics.Batches);
        Assert.Equal(1, statistics.BatchSizeCounts[2]);
        for (int i = 0; i < embeddings.Length; i++)
        {
            Reference.Close(Reference.Embedding(embedder.Tokenize(Texts.Mixed[i])), embeddings[i]);
        }
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task TwoDeviceThreadsEachServeTheirLoopsOnOneSharedSession(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy, loops: 2, configureDevice: o => o.Threads = 2);
        TextEmbedder embedder = rig.Embedder;

        float[][][] perLoop = await Task.WhenAll(rig.Group.Loops.Select(loop =>
            rig.OnLoopAsync(() => embedder.EmbedAsync(Texts.Mixed), loop))).Guarded();

        foreach (float[][] embeddings in perLoop)
        {
            for (int i = 0; i < embeddings.Length; i++)
            {
                Reference.Close(Reference.Embedding(embedder.Tokenize(Texts.Mixed[i])), embeddings[i]);
            }
        }

        IReadOnlyList<InferenceThreadStatistics> threads = rig.Device.GetThreadStatistics();
        Assert.Equal(2, threads.Count);
        Assert.All(threads, t => Assert.Equal(Texts.Mixed.Length, t.Requests));
        Assert.NotEqual(threads[0].ManagedThreadId, threads[1].ManagedThreadId);
        Assert.Equal(2 * Texts.Mixed.Length, embedder.GetStatistics().RequestsCompleted);
    }

    /// <summary>Submits <paramref name="texts"/> from one coroutine while the device is held, then lets it run them.</summary>
    private static async Task<InferenceModelStatistics> RunHeldBackAsync(InferenceRig rig, string[] texts)
    {
        TextEmbedder embedder = rig.Embedder;
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<float[][]> run;
        using (DeviceGate gate = await DeviceGate.HoldAsync(rig.Device))
        {
            run = rig.OnLoopAsync(async () =>
            {
                ValueTask<float[][]> pending = embedder.EmbedAsync(texts);
                submitted.SetResult();
                return await pending;
            });
            await submitted.Task.Guarded();
            await gate.OpenAsync();
        }

        float[][] embeddings = await run;
        float[] expected = Reference.Embedding(embedder.Tokenize(texts[0]));
        Assert.All(embeddings, e => Reference.Close(expected, e));
        return embedder.GetStatistics();
    }
}
