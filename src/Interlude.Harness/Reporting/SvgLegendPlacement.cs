namespace Interlude.Harness.Reporting;

/// <summary>Where a chart puts its legend: beside the plot for wide charts, under it for small ones.</summary>
public enum SvgLegendPlacement
{
    Right,
    Bottom,
}
