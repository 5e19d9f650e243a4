using System.Diagnostics;
using Xunit;

namespace Interlude.Tests.Infrastructure;

/// <summary>
/// A spin-wait for threads that must not block (ring producers and consumers, parker wakers) which gives up
/// and fails the test after a deadline instead of spinning forever. It backs off like <see cref="SpinWait"/>,
/// so spinning threads leave room for the others on a small machine.
/// </summary>
internal struct BoundedSpin
{
    private readonly long _deadline;
    private readonly string _what;
    private SpinWait _spinner;

    public BoundedSpin(string what)
    {
        _what = what;
        _deadline = Stopwatch.GetTimestamp() + (long)(Timeouts.Condition.TotalSeconds * Stopwatch.Frequency);
        _spinner = default;
    }

    public void Once()
    {
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            Assert.Fail($"Spun too long waiting until {_what}.");
        }

        _spinner.SpinOnce();
    }

    /// <summary>Starts backing off from the shortest pause again, after progress.</summary>
    public void Reset() => _spinner.Reset();
}
