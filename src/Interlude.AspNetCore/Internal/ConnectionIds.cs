namespace Interlude.AspNetCore.Internal;

/// <summary>Connection ids in Kestrel's style: 13 base-32 characters of a counter that starts at a random point.</summary>
internal static class ConnectionIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

    // Any thread: incremented once per connection.
    private static long s_last = DateTime.UtcNow.Ticks;

    internal static string Next()
    {
        long id = Interlocked.Increment(ref s_last);
        return string.Create(13, id, static (buffer, value) =>
        {
            for (int i = buffer.Length - 1; i >= 0; i--)
            {
                buffer[i] = Alphabet[(int)(value & 31)];
                value >>= 5;
            }
        });
    }
}
