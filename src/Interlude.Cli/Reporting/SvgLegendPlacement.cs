namespace Interlude.Cli.Reporting;

/// <summary>Where a chart puts its legend: beside the plot for wide charts, under it for small ones.</summary>
internal enum SvgLegendPlacement
{
    Right,
    Bottom,
}
