namespace Interlude.Harness.Reporting;

/// <summary>The shape drawn at each data point; shapes tell series apart where colours do not.</summary>
public enum SvgMarker
{
    None,
    Circle,
    Square,
    Triangle,
    Diamond,
}
