using System.Security.Cryptography;

namespace Interlude.Cli.Workload;

/// <summary>
/// Real computation of a chosen cost: SHA-256 over the first <see cref="Bytes"/> bytes of a fixed buffer. Its
/// cost is a fixed part (one hashing call) plus a part proportional to the bytes hashed, so it can be tuned to a
/// target in steps of one 64-byte SHA-256 block (see <see cref="CpuWorkCalibrator"/>). No allocation.
/// </summary>
internal sealed class CpuWork
{
    private const int ChunkBytes = 16 * 1024;

    // Read-only after start-up, so every thread may hash it at once.
    private static readonly byte[] s_input = CreateInput();

    internal CpuWork(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Bytes = bytes;
    }

    internal int Bytes { get; }

    internal void Run()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        int remaining = Bytes;
        do
        {
            int length = Math.Min(remaining, ChunkBytes);
            SHA256.HashData(s_input.AsSpan(0, length), digest);
            remaining -= length;
        }
        while (remaining > 0);
    }

    private static byte[] CreateInput()
    {
        var input = new byte[ChunkBytes];
        new Random(42).NextBytes(input);
        return input;
    }
}
