namespace Interlude.Talk.Pipeline;

/// <summary>
/// Releases results in index order whatever order they finish in: slide 3 done before slide 2 waits until slide 2
/// is, then both go, 2 first. Used from the pipeline's one loop only (its coroutines all run on that thread), so it
/// needs no lock.
/// </summary>
internal sealed class InOrderRelease<T>
{
    private readonly T?[] _done;
    private readonly bool[] _present;
    private readonly Action<T> _release;
    private int _next;

    public InOrderRelease(int count, Action<T> release)
    {
        _done = new T?[count];
        _present = new bool[count];
        _release = release;
    }

    /// <summary>How many results have been released.</summary>
    public int Released => _next;

    /// <summary>Records result <paramref name="index"/> and releases every result that is now next in order.</summary>
    public void Complete(int index, T result)
    {
        if (_present[index])
        {
            throw new InvalidOperationException($"Result {index} was completed twice.");
        }

        _done[index] = result;
        _present[index] = true;
        while (_next < _done.Length && _present[_next])
        {
            T next = _done[_next]!;
            _done[_next] = default;
            _next++;
            _release(next);
        }
    }
}
