namespace Interlude.Cli.Top;

/// <summary>
/// One value of an Interlude instrument for one set of attributes, as the runtime's metrics event source published
/// it: a counter's rate over the last interval, a gauge's or up-down counter's value, or a histogram's quantiles.
/// </summary>
/// <param name="Instrument">The instrument, for example <c>interlude.loop.utilization</c>.</param>
/// <param name="Loop">The <c>interlude.loop.index</c> attribute; null when the measurement has none.</param>
/// <param name="Attributes">Every attribute, as published (<c>name=value</c>, comma-separated).</param>
/// <param name="Value">A counter's rate per interval, or a gauge's or up-down counter's value.</param>
/// <param name="Quantiles">A histogram's quantiles (0.5, 0.95, 0.99), in the instrument's unit; null for others.</param>
internal sealed record MetricSample(string Instrument, int? Loop, string Attributes, double Value, IReadOnlyDictionary<double, double>? Quantiles);
