using System.Text;

namespace Interlude.Talk.Tests.Engines.Models;

/// <summary>
/// A tiny random-weight Whisper model in whisper.cpp's ggml layout: the magic <c>ggml</c>, eleven int32 hparams,
/// the mel filter bank (count, FFT bins, floats), the vocabulary (count, then length-prefixed bytes), then tensors
/// until the end of the file (dimension count, name length, type, dimensions in ggml order, name, data). Matrices and
/// convolutions are F16, the rest F32. The English-only vocabulary size (51864) places the special tokens where the
/// loader expects them; only the 256 byte tokens are written (token 220 is the space), the loader names the rest.
/// Four audio layers make it a "tiny" model to the loader. About 4 MB; its output is noise.
/// </summary>
internal static class TinyWhisperModel
{
    private const int Vocabulary = 51864;
    private const int AudioContext = 1500;
    private const int State = 32;
    private const int Heads = 2;
    private const int AudioLayers = 4;
    private const int TextContext = 448;
    private const int TextLayers = 4;
    private const int Mels = 80;
    private const int FftBins = 201;

    private const int TypeF32 = 0;
    private const int TypeF16 = 1;

    public static void Write(string path, int seed)
    {
        var random = new Random(seed);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write(0x67676d6cu);
        foreach (int value in (int[])[Vocabulary, AudioContext, State, Heads, AudioLayers, TextContext, State, Heads, TextLayers, Mels, TypeF16])
        {
            writer.Write(value);
        }

        writer.Write(Mels);
        writer.Write(FftBins);
        for (int i = 0; i < Mels * FftBins; i++)
        {
            writer.Write((float)(random.NextDouble() * 0.01));
        }

        WriteByteVocabulary(writer);

        F32(writer, random, "encoder.positional_embedding", [State, AudioContext], 0.02f);
        F16(writer, random, "encoder.conv1.weight", [3, Mels, State]);
        Bias(writer, "encoder.conv1.bias", [1, State]);
        F16(writer, random, "encoder.conv2.weight", [3, State, State]);
        Bias(writer, "encoder.conv2.bias", [1, State]);
        Norm(writer, "encoder.ln_post", State);
        for (int i = 0; i < AudioLayers; i++)
        {
            Block(writer, random, $"encoder.blocks.{i}.", cross: false);
        }

        F32(writer, random, "decoder.positional_embedding", [State, TextContext], 0.02f);
        F16(writer, random, "decoder.token_embedding.weight", [State, Vocabulary]);
        Norm(writer, "decoder.ln", State);
        for (int i = 0; i < TextLayers; i++)
        {
            Block(writer, random, $"decoder.blocks.{i}.", cross: true);
        }
    }

    /// <summary>GPT-2's byte order: the printable bytes first, then the rest, so byte 32 (space) is token 220.</summary>
    private static void WriteByteVocabulary(BinaryWriter writer)
    {
        var order = new List<int>();
        for (int b = 0; b < 256; b++)
        {
            if (b is (>= '!' and <= '~') or (>= 0xA1 and <= 0xAC) or (>= 0xAE and <= 0xFF))
            {
                order.Add(b);
            }
        }

        for (int b = 0; b < 256; b++)
        {
            if (!order.Contains(b))
            {
                order.Add(b);
            }
        }

        writer.Write(order.Count);
        foreach (int b in order)
        {
            writer.Write(1u);
            writer.Write((byte)b);
        }
    }

    private static void Block(BinaryWriter writer, Random random, string prefix, bool cross)
    {
        Norm(writer, prefix + "mlp_ln", State);
        F16(writer, random, prefix + "mlp.0.weight", [State, 4 * State]);
        Bias(writer, prefix + "mlp.0.bias", [4 * State]);
        F16(writer, random, prefix + "mlp.2.weight", [4 * State, State]);
        Bias(writer, prefix + "mlp.2.bias", [State]);
        Attention(writer, random, prefix + "attn");
        if (cross)
        {
            Attention(writer, random, prefix + "cross_attn");
        }
    }

    private static void Attention(BinaryWriter writer, Random random, string prefix)
    {
        Norm(writer, prefix + "_ln", State);
        F16(writer, random, prefix + ".query.weight", [State, State]);
        Bias(writer, prefix + ".query.bias", [State]);
        F16(writer, random, prefix + ".key.weight", [State, State]);
        F16(writer, random, prefix + ".value.weight", [State, State]);
        Bias(writer, prefix + ".value.bias", [State]);
        F16(writer, random, prefix + ".out.weight", [State, State]);
        Bias(writer, prefix + ".out.bias", [State]);
    }

    private static void Norm(BinaryWriter writer, string prefix, int width)
    {
        Header(writer, prefix + ".weight", [width], TypeF32);
        foreach (float value in SeededWeights.Ones(width))
        {
            writer.Write(value);
        }

        Bias(writer, prefix + ".bias", [width]);
    }

    private static void Bias(BinaryWriter writer, string name, int[] dimensions)
    {
        Header(writer, name, dimensions, TypeF32);
        int count = dimensions.Aggregate(1, (a, b) => a * b);
        for (int i = 0; i < count; i++)
        {
            writer.Write(0f);
        }
    }

    private static void F32(BinaryWriter writer, Random random, string name, int[] dimensions, float scale)
    {
        Header(writer, name, dimensions, TypeF32);
        foreach (float value in SeededWeights.Normal(random, dimensions.Aggregate(1, (a, b) => a * b), scale))
        {
            writer.Write(value);
        }
    }

    private static void F16(BinaryWriter writer, Random random, string name, int[] dimensions)
    {
        Header(writer, name, dimensions, TypeF16);
        foreach (float value in SeededWeights.Normal(random, dimensions.Aggregate(1, (a, b) => a * b), 0.2f))
        {
            writer.Write((Half)value);
        }
    }

    private static void Header(BinaryWriter writer, string name, int[] dimensions, int type)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        writer.Write(dimensions.Length);
        writer.Write(bytes.Length);
        writer.Write(type);
        foreach (int dimension in dimensions)
        {
            writer.Write(dimension);
        }

        writer.Write(bytes);
    }
}
