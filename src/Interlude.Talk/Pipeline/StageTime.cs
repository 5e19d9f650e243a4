namespace Interlude.Talk.Pipeline;

/// <summary>The time one engine spent on its calls during a run.</summary>
internal sealed record StageTime(string Engine, int Calls, TimeSpan Busy);
