using System.Collections;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>A list of results whose enumeration fails after the first one, as a failure in the middle of writing.</summary>
internal sealed class FailingResults : IReadOnlyList<RunResult>
{
    private readonly RunResult _first;

    public FailingResults(RunResult first) => _first = first;

    public int Count => 2;

    public RunResult this[int index] => index == 0 ? _first : throw new InvalidOperationException("The second result is unavailable.");

    public IEnumerator<RunResult> GetEnumerator()
    {
        yield return _first;
        throw new InvalidOperationException("The second result is unavailable.");
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
