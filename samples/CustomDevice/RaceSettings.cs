namespace CustomDevice;

/// <summary>The load of a <see cref="DeviceRace"/>.</summary>
/// <param name="ServiceTime">Each offload's service time on either device.</param>
/// <param name="Concurrency">Coroutines submitting at once (each waits for its own offload).</param>
/// <param name="Rounds">Rounds per device, alternating.</param>
/// <param name="Round">Measured length of a round.</param>
/// <param name="WarmUp">Unmeasured load before each round.</param>
internal sealed record RaceSettings(TimeSpan ServiceTime, int Concurrency, int Rounds, TimeSpan Round, TimeSpan WarmUp);
