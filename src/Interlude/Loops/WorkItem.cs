namespace Interlude.Loops;

/// <summary>A callback and its state: queued by value, so scheduling allocates nothing.</summary>
internal readonly struct WorkItem
{
    private readonly Action<object?>? _action;
    private readonly SendOrPostCallback? _post;
    private readonly object? _state;

    internal WorkItem(Action<object?> action, object? state)
    {
        _action = action;
        _post = null;
        _state = state;
    }

    internal WorkItem(SendOrPostCallback post, object? state)
    {
        _action = null;
        _post = post;
        _state = state;
    }

    internal void Invoke()
    {
        if (_action is not null)
        {
            _action(_state);
        }
        else
        {
            _post!(_state);
        }
    }
}
