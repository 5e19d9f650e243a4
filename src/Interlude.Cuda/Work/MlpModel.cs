using System.Buffers.Binary;

namespace Interlude.Cuda.Work;

/// <summary>
/// A small multilayer perceptron (dense layers, ReLU between them, none after the last), its file format, a seeded
/// generator, and the CPU reference the GPU's answers are checked against.
/// </summary>
/// <remarks>
/// File format, little-endian: the bytes "IMLP", int32 version (1), int32 layer count, then per layer int32 inputs,
/// int32 outputs, float32 weights (inputs × outputs, row-major: weight[i, o] at i·outputs + o), float32 bias (outputs).
/// </remarks>
internal sealed class MlpModel
{
    private static ReadOnlySpan<byte> Magic => "IMLP"u8;

    internal MlpModel(IReadOnlyList<MlpLayer> layers)
    {
        if (layers.Count == 0)
        {
            throw new ArgumentException("A model has at least one layer.", nameof(layers));
        }

        for (int i = 1; i < layers.Count; i++)
        {
            if (layers[i].Inputs != layers[i - 1].Outputs)
            {
                throw new ArgumentException($"Layer {i} takes {layers[i].Inputs} inputs but layer {i - 1} gives {layers[i - 1].Outputs}.", nameof(layers));
            }
        }

        Layers = layers;
    }

    internal IReadOnlyList<MlpLayer> Layers { get; }

    internal int Inputs => Layers[0].Inputs;

    internal int Outputs => Layers[^1].Outputs;

    /// <summary>Weights uniform in ±1/√inputs and biases in ±0.1, from <paramref name="seed"/>: the same model on every machine.</summary>
    internal static MlpModel Generate(int seed, params int[] sizes)
    {
        var random = new Random(seed);
        var layers = new List<MlpLayer>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            int inputs = sizes[i];
            int outputs = sizes[i + 1];
            float scale = 1f / MathF.Sqrt(inputs);
            float[] weights = new float[inputs * outputs];
            float[] bias = new float[outputs];
            for (int w = 0; w < weights.Length; w++)
            {
                weights[w] = ((float)random.NextDouble() * 2 - 1) * scale;
            }

            for (int b = 0; b < bias.Length; b++)
            {
                bias[b] = ((float)random.NextDouble() * 2 - 1) * 0.1f;
            }

            layers.Add(new MlpLayer(inputs, outputs, weights, bias));
        }

        return new MlpModel(layers);
    }

    internal void Save(string path)
    {
        using var stream = File.Create(path);
        Span<byte> word = stackalloc byte[4];
        stream.Write(Magic);
        WriteInt(stream, 1);
        WriteInt(stream, Layers.Count);
        foreach (MlpLayer layer in Layers)
        {
            WriteInt(stream, layer.Inputs);
            WriteInt(stream, layer.Outputs);
            foreach (float value in layer.Weights.Concat(layer.Bias))
            {
                BinaryPrimitives.WriteSingleLittleEndian(word, value);
                stream.Write(word);
            }
        }
    }

    /// <exception cref="InvalidDataException">Not a model file, or a truncated one.</exception>
    internal static MlpModel Load(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        int offset = 0;
        if (data.Length < 12 || !data.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path} is not a model file (it does not start with IMLP).");
        }

        offset = 4;
        int version = ReadInt(data, ref offset, path);
        if (version != 1)
        {
            throw new InvalidDataException($"{path}: model file version {version}; this reads version 1.");
        }

        int count = ReadInt(data, ref offset, path);
        var layers = new List<MlpLayer>();
        for (int l = 0; l < count; l++)
        {
            int inputs = ReadInt(data, ref offset, path);
            int outputs = ReadInt(data, ref offset, path);
            if (inputs <= 0 || outputs <= 0 || (long)inputs * outputs > 1 << 26)
            {
                throw new InvalidDataException($"{path}: layer {l} has {inputs} x {outputs} weights.");
            }

            float[] weights = ReadFloats(data, ref offset, inputs * outputs, path);
            float[] bias = ReadFloats(data, ref offset, outputs, path);
            layers.Add(new MlpLayer(inputs, outputs, weights, bias));
        }

        return new MlpModel(layers);
    }

    /// <summary>The CPU reference, in double: <paramref name="batch"/> rows of inputs in, rows of outputs out.</summary>
    internal double[] Forward(ReadOnlySpan<float> input, int batch)
    {
        double[] current = new double[batch * Inputs];
        for (int i = 0; i < current.Length; i++)
        {
            current[i] = input[i];
        }

        for (int l = 0; l < Layers.Count; l++)
        {
            MlpLayer layer = Layers[l];
            double[] next = new double[batch * layer.Outputs];
            for (int r = 0; r < batch; r++)
            {
                for (int o = 0; o < layer.Outputs; o++)
                {
                    double sum = layer.Bias[o];
                    for (int i = 0; i < layer.Inputs; i++)
                    {
                        sum += current[r * layer.Inputs + i] * layer.Weights[i * layer.Outputs + o];
                    }

                    next[r * layer.Outputs + o] = l < Layers.Count - 1 ? Math.Max(0, sum) : sum;
                }
            }

            current = next;
        }

        return current;
    }

    private static void WriteInt(Stream stream, int value)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(word, value);
        stream.Write(word);
    }

    private static int ReadInt(byte[] data, ref int offset, string path)
    {
        if (offset + 4 > data.Length)
        {
            throw new InvalidDataException($"{path} is truncated.");
        }

        int value = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset));
        offset += 4;
        return value;
    }

    private static float[] ReadFloats(byte[] data, ref int offset, int count, string path)
    {
        if (offset + ((long)count * 4) > data.Length)
        {
            throw new InvalidDataException($"{path} is truncated.");
        }

        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(offset + (i * 4)));
        }

        offset += count * 4;
        return values;
    }
}
