namespace Interlude;

/// <summary>Where an exception escaped on a loop.</summary>
public enum FaultSource
{
    /// <summary>A coroutine ended with an exception nobody handled.</summary>
    Coroutine,

    /// <summary>A posted callback (for example an async void method) threw.</summary>
    WorkItem,

    /// <summary>A poller's Poll threw.</summary>
    Poller,
}
