namespace Interlude.Waiting;

/// <summary>
/// A blocking primitive a <see cref="Parker"/> sleeps on instead of its futex, so that a loop can sleep in one
/// call that also returns for other readiness (a loop that owns sockets sleeps in epoll_wait).
/// </summary>
/// <remarks>
/// The parker's EMPTY/PARKED/NOTIFIED protocol is unchanged: <see cref="Wake"/> is called only by a waker
/// that moved the word out of PARKED, so nothing is written while the owner is awake.
/// </remarks>
internal interface IParkSleeper
{
    /// <summary>
    /// Owner only, parked. Blocks until <see cref="Wake"/>, other readiness, or <paramref name="timeoutNs"/>
    /// (negative: no limit). Returns true if it returned for readiness of its own (the parker then stops
    /// waiting even though no wake arrived); false after a wake, a timeout or an interruption.
    /// </summary>
    bool Sleep(long timeoutNs);

    /// <summary>Any thread: ends the owner's current or next <see cref="Sleep"/>.</summary>
    void Wake();
}
