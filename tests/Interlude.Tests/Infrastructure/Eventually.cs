using System.Diagnostics;
using Xunit;

namespace Interlude.Tests.Infrastructure;

/// <summary>Waits, boundedly, for a condition another thread makes true.</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every millisecond; fails the test if it stays false too long.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(Timeouts.Condition.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(1);
        }
    }
}
