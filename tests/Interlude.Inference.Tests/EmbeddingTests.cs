using Interlude.Inference.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Inference.Tests;

public sealed class EmbeddingTests
{
    [Fact]
    public async Task TokenizationIsLowerCasedWordPieceWithClsAndSep()
    {
        await using var rig = new InferenceRig(WaitStrategy.Block);

        // bert-base-uncased ids: [CLS] hello , world ! [SEP]
        Assert.Equal(new long[] { 101, 7592, 1010, 2088, 999, 102 }, rig.Embedder.Tokenize("Hello, World!"));
        Assert.Equal(6, rig.Embedder.CountTokens("HELLO, world!"));
        Assert.Equal(384, rig.Embedder.Dimensions);
        Assert.Equal(256, rig.Embedder.MaxSequenceLength);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task EmbeddingsEqualDirectRunsOfTheModelPooledIndependently(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy);
        TextEmbedder embedder = rig.Embedder;

        float[][] embeddings = await rig.OnLoopAsync(async () =>
        {
            var results = new float[Texts.Mixed.Length][];
            for (int i = 0; i < results.Length; i++)
            {
                results[i] = await embedder.EmbedAsync(Texts.Mixed[i]);
            }

            return results;
        });

        for (int i = 0; i < embeddings.Length; i++)
        {
            Assert.Equal(384, embeddings[i].Length);
            Reference.Close(Reference.Embedding(embedder.Tokenize(Texts.Mixed[i])), embeddings[i]);
            Assert.Equal(1.0, Math.Sqrt(embeddings[i].Sum(v => v * (double)v)), 4);
        }

        InferenceModelStatistics statistics = embedder.GetStatistics();
        Assert.Equal(Texts.Mixed.Length, statistics.RequestsCompleted);
        Assert.Equal(Texts.Mixed.Length, statistics.LatencySamples);
        Assert.Equal(0, statistics.RequestsQueued);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task SimilarSentencesRankAboveUnrelatedOnes(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy);
        string[] texts =
        [
            "A man is playing a guitar.",
            "Someone is strumming an acoustic guitar.",
            "The stock market fell sharply on Monday.",
            "How do I bake sourdough bread?",
            "Shares dropped steeply at the start of the week.",
        ];

        float[][] e = await rig.OnLoopAsync(() => rig.Embedder.EmbedAsync(texts));

        Assert.True(Reference.Cosine(e[0], e[1]) > Reference.Cosine(e[0], e[2]));
        Assert.True(Reference.Cosine(e[0], e[1]) > Reference.Cosine(e[0], e[3]));
        Assert.True(Reference.Cosine(e[2], e[4]) > Reference.Cosine(e[2], e[0]));
        Assert.True(Reference.Cosine(e[2], e[4]) > Reference.Cosine(e[2], e[3]));
        Assert.True(Reference.Cosine(e[0], e[1]) > 0.5f);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task BatchedEmbeddingsMatchUnbatchedOnes(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy);
        TextEmbedder embedder = rig.Embedder;
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<float[][]> batched;
        using (DeviceGate gate = await DeviceGate.HoldAsync(rig.Device))
        {
            batched = rig.OnLoopAsync(async () =>
            {
                ValueTask<float[][]> pending = embedder.EmbedAsync(Texts.Mixed);
                submitted.SetResult();
                return await pending;
            });
            await submitted.Task.Guarded();
            await gate.OpenAsync();
        }

        float[][] together = await batched;
        InferenceModelStatistics statistics = embedder.GetStatistics();
        Assert.Equal(1, statistics.Batches);
        Assert.Equal(1, statistics.BatchSizeCounts[Texts.Mixed.Length]);

        for (int i = 0; i < Texts.Mixed.Length; i++)
        {
            float[] alone = await rig.OnLoopAsync(() => embedder.EmbedAsync(Texts.Mixed[i]));
            Reference.Close(alone, together[i]);
            Reference.Close(Reference.Embedding(embedder.Tokenize(Texts.Mixed[i])), together[i]);
        }

        Assert.Equal(1 + Texts.Mixed.Length, embedder.GetStatistics().Batches);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ATextOverTheTokenLimitFailsNamingTheLimitAndTheDeviceCarriesOn(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy, configureEmbedder: o => o.MaxSequenceLength = 16);
        TextEmbedder embedder = rig.Embedder;
        string longText = Texts.Mixed[3];
        Assert.True(embedder.CountTokens(longText) > 16);

        InferenceInputException single = await rig.OnLoopAsync(() =>
            ValueTask.FromResult(Assert.Throws<InferenceInputException>(() => { _ = embedder.EmbedAsync(longText); })));
        Assert.Equal(InferenceInputError.TooManyTokens, single.Error);
        Assert.Contains("at most 16", single.Message);

        InferenceInputException batch = Assert.Throws<InferenceInputException>(() => { _ = embedder.EmbedAsync([Texts.Mixed[0], longText]); });
        Assert.Equal(InferenceInputError.TooManyTokens, batch.Error);
        Assert.Contains("Text 1", batch.Message);

        float[] fine = await rig.OnLoopAsync(() => embedder.EmbedAsync(Texts.Mixed[0]));
        Reference.Close(Reference.Embedding(embedder.Tokenize(Texts.Mixed[0])), fine);
        Assert.Equal(1, embedder.GetStatistics().RequestsCompleted);
    }

    [Fact]
    public async Task TruncationEmbedsTheBeginningOfALongText()
    {
        await using var rig = new InferenceRig(WaitStrategy.Block, configureEmbedder: o =>
        {
            o.MaxSequenceLength = 16;
            o.Truncate = true;
        });
        string longText = Texts.Mixed[3];
        long[] ids = rig.Embedder.Tokenize(longText);

        float[] embedding = await rig.OnLoopAsync(() => rig.Embedder.EmbedAsync(longText));

        Assert.Equal(16, ids.Length);
        Assert.Equal(101, ids[0]);
        Assert.Equal(102, ids[^1]);
        Reference.Close(Reference.Embedding(ids), embedding);
    }

    [Fact]
    public async Task EmbeddingWorksFromThreadsThatAreNoLoops()
    {
        await using var rig = new InferenceRig(WaitStrategy.Block);
        TextEmbedder embedder = rig.Embedder;

        float[][] embeddings = await Task.Run(async () =>
        {
            Assert.Null(Loop.Current);
            return await embedder.EmbedAsync(Texts.Mixed);
        }).Guarded();

        for (int i = 0; i < embeddings.Length; i++)
        {
            Reference.Close(Reference.Embedding(embedder.Tokenize(Texts.Mixed[i])), embeddings[i]);
        }
    }
}
