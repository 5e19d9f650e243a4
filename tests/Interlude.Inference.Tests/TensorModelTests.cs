using Interlude.Inference.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace Interlude.Inference.Tests;

public sealed class TensorModelTests
{
    private static readonly string[] s_sameLength =
    [
        "the cat sat on the mat",
        "a dog ran in the park",
        "we like to eat fresh fish",
        "my car is parked in town",
    ];

    [Fact]
    public async Task TheModelDescribesItsInputsAndOutputs()
    {
        await using var rig = new InferenceRig(WaitStrategy.Block);
        InferenceModel model = rig.Model;

        Assert.Equal("minilm", model.Name);
        Assert.Same(rig.Device, model.Device);
        Assert.Equal(new[] { "attention_mask", "input_ids", "token_type_ids" }, model.Inputs.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.All(model.Inputs, i =>
        {
            Assert.Equal(TensorDataType.Int64, i.DataType);
            Assert.Equal(new long[] { -1, -1 }, i.Shape);
        });
        TensorMetadata states = Assert.Single(model.Outputs, o => o.Name == "last_hidden_state");
        Assert.Equal(TensorDataType.Float32, states.DataType);
        Assert.Equal(3, states.Shape.Count);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ARunEqualsADirectRunOfTheSession(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy);
        InferenceModel model = rig.Model;
        long[] ids = rig.Embedder.Tokenize(Texts.Mixed[1]);

        IReadOnlyList<InferenceTensor> outputs = await rig.OnLoopAsync(() => model.RunAsync(Inputs(ids)));

        InferenceTensor states = outputs[IndexOfStates(model)];
        Assert.Equal("last_hidden_state", states.Name);
        Assert.Equal(new long[] { 1, ids.Length, 384 }, states.Shape);
        Reference.Close(Reference.HiddenStates(ids), states.GetData<float>().Span);
        Assert.Equal(1, model.GetStatistics().RequestsCompleted);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task BatchedRunsMatchUnbatchedOnes(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy);
        InferenceModel model = rig.Model;
        Assert.True(model.SupportsBatching);
        long[][] ids = s_sameLength.Select(t => rig.Embedder.Tokenize(t)).ToArray();
        Assert.All(ids, i => Assert.Equal(ids[0].Length, i.Length));
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<IReadOnlyList<InferenceTensor>[]> batched;
        using (DeviceGate gate = await DeviceGate.HoldAsync(rig.Device))
        {
            batched = rig.OnLoopAsync(async () =>
            {
                ValueTask<IReadOnlyList<InferenceTensor>>[] pending = ids.Select(i => model.RunAsync(Inputs(i))).ToArray();
                submitted.SetResult();
                var results = new IReadOnlyList<InferenceTensor>[pending.Length];
                for (int i = 0; i < pending.Length; i++)
                {
                    results[i] = await pending[i];
                }

                return results;
            });
            await submitted.Task.Guarded();
            await gate.OpenAsync();
        }

        IReadOnlyList<InferenceTensor>[] outputs = await batched;
        Assert.Equal(1, model.GetStatistics().BatchSizeCounts[ids.Length]);
        int states = IndexOfStates(model);
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.Equal(new long[] { 1, ids[i].Length, 384 }, outputs[i][states].Shape);
            Reference.Close(Reference.HiddenStates(ids[i]), outputs[i][states].GetData<float>().Span);
        }
    }

    [Fact]
    public async Task RequestsJoinOnlyABatchOfTheirShapeAndARequestOfTwoRowsGetsBothBack()
    {
        await using var rig = new InferenceRig(WaitStrategy.Block);
        InferenceModel model = rig.Model;
        long[] shortA = rig.Embedder.Tokenize("the cat sat");
        long[] shortB = rig.Embedder.Tokenize("a dog ran");
        long[] longA = rig.Embedder.Tokenize(s_sameLength[0]);
        long[] longB = rig.Embedder.Tokenize(s_sameLength[1]);
        Assert.Equal(shortA.Length, shortB.Length);
        Assert.NotEqual(shortA.Length, longA.Length);

        // Two rows in one request: both sequences of the same length, one after the other.
        long[] pair = [.. longA, .. longB];
        long[] pairShape = [2, longA.Length];
        InferenceTensor[] twoRows =
        [
            new InferenceTensor("input_ids", pair, pairShape),
            new InferenceTensor("attention_mask", Enumerable.Repeat(1L, pair.Length).ToArray(), pairShape),
            new InferenceTensor("token_type_ids", new long[pair.Length], pairShape),
        ];
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<IReadOnlyList<InferenceTensor>[]> run;
        using (DeviceGate gate = await DeviceGate.HoldAsync(rig.Device))
        {
            run = rig.OnLoopAsync(async () =>
            {
                ValueTask<IReadOnlyList<InferenceTensor>>[] pending =
                [
                    model.RunAsync(Inputs(shortA)),
                    model.RunAsync(Inputs(longA)),
                    model.RunAsync(Inputs(shortB)),
                    model.RunAsync(twoRows),
                ];
                submitted.SetResult();
                var results = new IReadOnlyList<InferenceTensor>[pending.Length];
                for (int i = 0; i < pending.Length; i++)
                {
                    results[i] = await pending[i];
                }

                return results;
            });
            await submitted.Task.Guarded();
            await gate.OpenAsync();
        }

        IReadOnlyList<InferenceTensor>[] outputs = await run;
        int states = IndexOfStates(model);
        InferenceModelStatistics statistics = model.GetStatistics();
        Assert.Equal(2, statistics.Batches);
        Assert.Equal(2, statistics.BatchSizeCounts[2]);

        Reference.Close(Reference.HiddenStates(shortA), outputs[0][states].GetData<float>().Span);
        Reference.Close(Reference.HiddenStates(longA), outputs[1][states].GetData<float>().Span);
        Reference.Close(Reference.HiddenStates(shortB), outputs[2][states].GetData<float>().Span);
        Assert.Equal(new long[] { 2, longA.Length, 384 }, outputs[3][states].Shape);
        Reference.Close([.. Reference.HiddenStates(longA), .. Reference.HiddenStates(longB)], outputs[3][states].GetData<float>().Span);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task EveryBadInputFailsWithItsErrorAndTheDeviceCarriesOn(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy);
        InferenceModel model = rig.Model;
        long[] ids = rig.Embedder.Tokenize(Texts.Mixed[0]);
        InferenceTensor[] good = Inputs(ids);
        long[] shape = [1, ids.Length];

        await rig.OnLoopAsync(() =>
        {
            Expect(InferenceInputError.WrongDataType, "input_ids", () => model.RunAsync(
                [new InferenceTensor("input_ids", ids.Select(i => (float)i).ToArray(), shape), good[1], good[2]]));
            Expect(InferenceInputError.WrongShape, "input_ids", () => model.RunAsync(
                [new InferenceTensor("input_ids", ids, [1, 1, ids.Length]), good[1], good[2]]));
            Expect(InferenceInputError.WrongShape, "attention_mask", () => model.RunAsync(
                [good[0], new InferenceTensor("attention_mask", new long[2 * ids.Length], [2, ids.Length]), good[2]]));
            Expect(InferenceInputError.UnknownInput, "position_ids", () => model.RunAsync(
                [.. good, new InferenceTensor("position_ids", ids, shape)]));
            Expect(InferenceInputError.MissingInput, "token_type_ids", () => model.RunAsync([good[0], good[1]]));
            Expect(InferenceInputError.DuplicateInput, "input_ids", () => model.RunAsync([.. good, good[0]]));
            return ValueTask.FromResult(0);
        });

        InferenceInputException length = Assert.Throws<InferenceInputException>(() => new InferenceTensor("input_ids", ids, [2, ids.Length]));
        Assert.Equal(InferenceInputError.WrongShape, length.Error);

        IReadOnlyList<InferenceTensor> outputs = await rig.OnLoopAsync(() => model.RunAsync(good));
        Reference.Close(Reference.HiddenStates(ids), outputs[IndexOfStates(model)].GetData<float>().Span);
        InferenceModelStatistics statistics = model.GetStatistics();
        Assert.Equal(1, statistics.RequestsCompleted);
        Assert.Equal(0, statistics.RequestsFailed);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnErrorInARunFailsOnlyItsOwnRequest(WaitStrategy strategy)
    {
        await using var rig = new InferenceRig(strategy);
        InferenceModel model = rig.Model;
        long[][] ids = s_sameLength.Select(t => rig.Embedder.Tokenize(t)).ToArray();

        // A token id past the vocabulary: the model's embedding lookup fails inside ONNX Runtime.
        long[] bad = (long[])ids[1].Clone();
        bad[2] = 10_000_000;
        ids[1] = bad;
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<Exception?[]> outcomes;
        IReadOnlyList<InferenceTensor>?[] outputs = new IReadOnlyList<InferenceTensor>?[ids.Length];
        using (DeviceGate gate = await DeviceGate.HoldAsync(rig.Device))
        {
            outcomes = rig.OnLoopAsync(async () =>
            {
                ValueTask<IReadOnlyList<InferenceTensor>>[] pending = ids.Select(i => model.RunAsync(Inputs(i))).ToArray();
                submitted.SetResult();
                var errors = new Exception?[pending.Length];
                for (int i = 0; i < pending.Length; i++)
                {
                    try
                    {
                        outputs[i] = await pending[i];
                    }
                    catch (Exception error)
                    {
                        errors[i] = error;
                    }
                }

                return errors;
            });
            await submitted.Task.Guarded();
            await gate.OpenAsync();
        }

        Exception?[] errors = await outcomes;
        Assert.IsType<OnnxRuntimeException>(errors[1]);
        int states = IndexOfStates(model);
        foreach (int i in new[] { 0, 2, 3 })
        {
            Assert.Null(errors[i]);
            Reference.Close(Reference.HiddenStates(ids[i]), outputs[i]![states].GetData<float>().Span);
        }

        InferenceModelStatistics statistics = model.GetStatistics();
        Assert.Equal(1, statistics.RequestsFailed);
        Assert.Equal(3, statistics.RequestsCompleted);

        IReadOnlyList<InferenceTensor> after = await rig.OnLoopAsync(() => model.RunAsync(Inputs(ids[0])));
        Reference.Close(Reference.HiddenStates(ids[0]), after[states].GetData<float>().Span);
    }

    internal static InferenceTensor[] Inputs(long[] ids)
    {
        long[] shape = [1, ids.Length];
        return
        [
            new InferenceTensor("input_ids", ids, shape),
            new InferenceTensor("attention_mask", Enumerable.Repeat(1L, ids.Length).ToArray(), shape),
            new InferenceTensor("token_type_ids", new long[ids.Length], shape),
        ];
    }

    private static int IndexOfStates(InferenceModel model)
        => model.Outputs.Select((o, i) => (o, i)).Single(p => p.o.Name == "last_hidden_state").i;

    private static void Expect(InferenceInputError error, string input, Func<ValueTask<IReadOnlyList<InferenceTensor>>> run)
    {
        InferenceInputException thrown = Assert.Throws<InferenceInputException>(() => { _ = run(); });
        Assert.Equal(error, thrown.Error);
        Assert.Equal(input, thrown.InputName);
        Assert.Contains(input, thrown.Message);
    }
}
