namespace Interlude.Harness.Reporting;

/// <summary>One line on a chart.</summary>
/// <param name="Label">The legend's text; escaped when written.</param>
/// <param name="Color">A CSS colour, normally from <see cref="SvgPalette"/>.</param>
/// <param name="Points">Data points, drawn in the order given.</param>
/// <param name="Marker">The shape at each point.</param>
/// <param name="IsReference">
/// A reference line (a bound, an ideal) rather than measured data: drawn dashed and thinner, marked as such in
/// the markup.
/// </param>
public sealed record SvgSeries(
    string Label,
    string Color,
    IReadOnlyList<(double X, double Y)> Points,
    SvgMarker Marker = SvgMarker.None,
    bool IsReference = false);
