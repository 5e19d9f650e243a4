using System.Diagnostics;
using Interlude.Sockets;

namespace Interlude;

/// <summary>
/// The timeouts of <see cref="FramedConnection"/>: what the connection records as it goes, and the check its
/// loop's heartbeat makes.
/// </summary>
/// <remarks>
/// Every field here is touched only by the owning loop. Times are the loop's heartbeat clock
/// (<see cref="FramedLoop.Now"/>). The read-side limits apply only while the receive coroutine waits for the
/// peer's bytes: a running handler, backed-up replies and a wait for budget are the server's time, and a frame's
/// clock is moved on by however long they held it up.
/// </remarks>
public sealed partial class FramedConnection
{
    // The last time bytes arrived, a handler finished or a reply went out.
    private long _lastActivity;

    // When the first byte of the frame being received arrived (moved on by pauses); 0 between frames.
    private long _frameStart;

    // Whether the receive coroutine is waiting for the peer's bytes: the only time the read limits apply.
    private bool _awaitingData;

    // While replies wait for the peer to take them: since when, and how many bytes it has taken since.
    private long _flushSince;
    private long _flushSent;

    /// <summary>Owner only: this connection's place in its loop's registry; -1 when not tracked.</summary>
    internal int RegistryIndex { get; set; } = -1;

    /// <summary>Loop thread, from the heartbeat: closes the connection if it has broken a limit.</summary>
    internal void CheckTimeouts(long now, FramedTimeouts limits)
    {
        if (_closed)
        {
            return;
        }

        if (_flushSince != 0 && limits.MinBytesPerTick > 0)
        {
            long waited = now - _flushSince;
            if (waited > limits.Grace && _flushSent < limits.MinBytesPerTick * waited)
            {
                CloseWith(FramedCloseReason.SendRateTooLow, new TimeoutException(
                    $"Connection {Id} took {_flushSent} bytes of its replies in {Seconds(waited):F1} s, under FramedServerOptions.MinDataRate ({_server.Options.MinDataRate} bytes/s); the connection was closed."));
                return;
            }
        }

        if (!_awaitingData)
        {
            return;
        }

        int buffered = Buffered;
        if (buffered == 0)
        {
            if (PendingSendBytes == 0 && now - _lastActivity > limits.Idle)
            {
                CloseWith(FramedCloseReason.IdleTimeout, new TimeoutException(
                    $"Connection {Id} was idle for longer than FramedServerOptions.IdleTimeout ({_server.Options.IdleTimeout}); the connection was closed."));
            }

            return;
        }

        long elapsed = now - _frameStart;
        if (buffered < HeaderSize)
        {
            if (elapsed > limits.Header)
            {
                CloseWith(FramedCloseReason.HeaderTimeout, new TimeoutException(
                    $"Connection {Id} sent {buffered} bytes of a frame header in longer than FramedServerOptions.HeaderTimeout ({_server.Options.HeaderTimeout}); the connection was closed."));
            }

            return;
        }

        if (elapsed > limits.Frame)
        {
            CloseWith(FramedCloseReason.FrameTimeout, new TimeoutException(
                $"Connection {Id} sent {buffered} of a frame's {_frameTotal} bytes in longer than FramedServerOptions.FrameTimeout ({_server.Options.FrameTimeout}); the connection was closed."));
        }
        else if (limits.MinBytesPerTick > 0 && elapsed > limits.Grace && buffered < limits.MinBytesPerTick * elapsed)
        {
            CloseWith(FramedCloseReason.ReceiveRateTooLow, new TimeoutException(
                $"Connection {Id} sent {buffered} bytes of a frame in {Seconds(elapsed):F1} s, under FramedServerOptions.MinDataRate ({_server.Options.MinDataRate} bytes/s); the connection was closed."));
        }
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    /// <summary>Loop thread: the server stopped reading since <paramref name="pausedAt"/>; that time is not the peer's.</summary>
    private void ResumeFrameClock(long pausedAt)
    {
        if (_frameStart != 0)
        {
            _frameStart += _loopState.Now - pausedAt;
        }
    }
}
