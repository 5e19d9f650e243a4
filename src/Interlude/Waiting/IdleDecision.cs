namespace Interlude.Waiting;

/// <summary>An idle loop's next step; <paramref name="SleepTicks"/> is the timed sleep's length in Stopwatch ticks.</summary>
internal readonly record struct IdleDecision(IdleAction Action, long SleepTicks = 0);
