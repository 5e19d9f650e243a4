using System.Text;

namespace Interlude.Talk.Tests.Engines.Models;

/// <summary>
/// Writes a GGUF version 3 file: the header (magic <c>GGUF</c>, version, tensor count, key-value count), the
/// metadata key-values, the tensor infos (name, dimensions in ggml order, type, offset into the data section), padding
/// to the alignment, then each tensor's data at its aligned offset. All integers little-endian.
/// </summary>
internal sealed class GgufFileWriter
{
    private const uint Alignment = 32;

    // GGUF metadata value types.
    private const uint TypeUInt32 = 4;
    private const uint TypeInt32 = 5;
    private const uint TypeFloat32 = 6;
    private const uint TypeString = 8;
    private const uint TypeArray = 9;

    // ggml tensor types.
    private const uint GgmlF32 = 0;

    private readonly List<Action<BinaryWriter>> _metadata = [];
    private readonly List<(string Name, long[] Dimensions, float[] Data)> _tensors = [];

    public void AddUInt32(string key, uint value) => _metadata.Add(w => { WriteKey(w, key, TypeUInt32); w.Write(value); });

    public void AddFloat32(string key, float value) => _metadata.Add(w => { WriteKey(w, key, TypeFloat32); w.Write(value); });

    public void AddString(string key, string value) => _metadata.Add(w => { WriteKey(w, key, TypeString); WriteString(w, value); });

    public void AddStrings(string key, IReadOnlyList<string> values) => _metadata.Add(w =>
    {
        WriteKey(w, key, TypeArray);
        w.Write(TypeString);
        w.Write((ulong)values.Count);
        foreach (string value in values)
        {
            WriteString(w, value);
        }
    });

    public void AddFloat32s(string key, IReadOnlyList<float> values) => _metadata.Add(w =>
    {
        WriteKey(w, key, TypeArray);
        w.Write(TypeFloat32);
        w.Write((ulong)values.Count);
        foreach (float value in values)
        {
            w.Write(value);
        }
    });

    public void AddInt32s(string key, IReadOnlyList<int> values) => _metadata.Add(w =>
    {
        WriteKey(w, key, TypeArray);
        w.Write(TypeInt32);
        w.Write((ulong)values.Count);
        foreach (int value in values)
        {
            w.Write(value);
        }
    });

    /// <summary>Adds an F32 tensor; <paramref name="dimensions"/> in ggml order (the fastest-varying first).</summary>
    public void AddTensor(string name, long[] dimensions, float[] data)
    {
        long count = dimensions.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length)
        {
            throw new ArgumentException($"Tensor {name} has {data.Length} values for {count} elements.", nameof(data));
        }

        _tensors.Add((name, dimensions, data));
    }

    public void Write(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write("GGUF"u8);
        writer.Write(3u);
        writer.Write((ulong)_tensors.Count);
        writer.Write((ulong)_metadata.Count);
        foreach (Action<BinaryWriter> entry in _metadata)
        {
            entry(writer);
        }

        ulong offset = 0;
        foreach ((string name, long[] dimensions, float[] data) in _tensors)
        {
            WriteString(writer, name);
            writer.Write((uint)dimensions.Length);
            foreach (long dimension in dimensions)
            {
                writer.Write((ulong)dimension);
            }

            writer.Write(GgmlF32);
            writer.Write(offset);
            offset = AlignUp(offset + ((ulong)data.Length * sizeof(float)));
        }

        Pad(writer);
        foreach ((_, _, float[] data) in _tensors)
        {
            foreach (float value in data)
            {
                writer.Write(value);
            }

            Pad(writer);
        }
    }

    private static ulong AlignUp(ulong value) => (value + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter writer)
    {
        writer.Flush();
        long position = writer.BaseStream.Position;
        long padded = (long)AlignUp((ulong)position);
        for (long i = position; i < padded; i++)
        {
            writer.Write((byte)0);
        }
    }

    private static void WriteKey(BinaryWriter writer, string key, uint type)
    {
        WriteString(writer, key);
        writer.Write(type);
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }
}
