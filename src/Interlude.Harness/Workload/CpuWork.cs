using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Interlude.Harness.Workload;

/// <summary>
/// Real computation of a chosen cost: SHA-256 over the first <see cref="Bytes"/> bytes of a fixed buffer. Its
/// cost is a fixed part (one hashing call) plus a part proportional to the bytes hashed, so it can be tuned to a
/// target in steps of one 64-byte SHA-256 block (see <see cref="CpuWorkCalibrator"/>). No allocation.
/// </summary>
/// <remarks>
/// <see cref="Run(ulong)"/> hashes the same number of bytes from a window of the buffer chosen by a seed, so the
/// digest depends on the seed while the cost does not: requests can prove which work they did.
/// </remarks>
public sealed class CpuWork
{
    private const int ChunkBytes = 16 * 1024;
    private const int BlockBytes = 64;

    // Read-only after start-up, so every thread may hash it at once.
    private static readonly byte[] s_input = CreateInput();

    public CpuWork(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Bytes = bytes;
    }

    public int Bytes { get; }

    public void Run() => Run(0);

    /// <summary>Hashes <see cref="Bytes"/> bytes starting at a window chosen by <paramref name="seed"/>; returns the first 8 bytes of the last digest.</summary>
    public ulong Run(ulong seed)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        int remaining = Bytes;
        int first = Math.Min(remaining, ChunkBytes);
        int windows = ((ChunkBytes - first) / BlockBytes) + 1;
        int offset = (int)(seed % (ulong)windows) * BlockBytes;
        SHA256.HashData(s_input.AsSpan(offset, first), digest);
        remaining -= first;
        while (remaining > 0)
        {
            int length = Math.Min(remaining, ChunkBytes);
            SHA256.HashData(s_input.AsSpan(0, length), digest);
            remaining -= length;
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    private static byte[] CreateInput()
    {
        var input = new byte[ChunkBytes];
        new Random(42).NextBytes(input);
        return input;
    }
}
