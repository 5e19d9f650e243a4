using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace Interlude.Inference.Tests.Infrastructure;

/// <summary>
/// The expected answers: all-MiniLM-L6-v2 run directly with ONNX Runtime (one session of its own, default options,
/// one text per run, no padding) and mean-pooled here in double precision, independently of the library.
/// </summary>
internal static class Reference
{
    /// <summary>Absolute tolerance between the device's results and the direct runs': batching, padding and threading change only float rounding.</summary>
    public const float Tolerance = 1e-4f;

    private static readonly Lazy<InferenceSession> s_session = new(() =>
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        return new InferenceSession(MiniLmResources.Model, options);
    });

    /// <summary>last_hidden_state for one sequence of token ids: [ids.Length * 384].</summary>
    public static float[] HiddenStates(long[] ids)
    {
        long[] shape = [1, ids.Length];
        using OrtValue inputIds = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using OrtValue mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, ids.Length).ToArray(), shape);
        using OrtValue types = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var runOptions = new RunOptions();
        var inputs = new Dictionary<string, OrtValue> { ["input_ids"] = inputIds, ["attention_mask"] = mask, ["token_type_ids"] = types };
        using IDisposableReadOnlyCollection<OrtValue> outputs = s_session.Value.Run(runOptions, inputs, ["last_hidden_state"]);
        return outputs.First().GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>The sentence embedding of one sequence of token ids.</summary>
    public static float[] Embedding(long[] ids)
    {
        float[] states = HiddenStates(ids);
        int dimensions = states.Length / ids.Length;
        var sum = new double[dimensions];
        for (int t = 0; t < ids.Length; t++)
        {
            for (int d = 0; d < dimensions; d++)
            {
                sum[d] += states[(t * dimensions) + d];
            }
        }

        double norm = Math.Sqrt(sum.Sum(v => (v / ids.Length) * (v / ids.Length)));
        return sum.Select(v => (float)(v / ids.Length / norm)).ToArray();
    }

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(worst <= tolerance, $"The largest difference is {worst}, over the tolerance {tolerance}.");
    }

    public static float Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return (float)(dot / Math.Sqrt(na * nb));
    }
}
