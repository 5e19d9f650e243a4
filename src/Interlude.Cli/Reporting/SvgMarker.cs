namespace Interlude.Cli.Reporting;

/// <summary>The shape drawn at each data point; shapes tell series apart where colours do not.</summary>
internal enum SvgMarker
{
    None,
    Circle,
    Square,
    Triangle,
    Diamond,
}
