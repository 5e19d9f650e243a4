namespace Interlude.Harness.Reporting;

/// <summary>
/// Okabe and Ito's palette, distinguishable with the common forms of colour blindness, ordered for contrast on
/// white (its yellow is last: it is faint on white); markers cycle too, so print in grey still tells series apart.
/// </summary>
public static class SvgPalette
{
    /// <summary>Reference lines: dark grey, unlike any series colour.</summary>
    public const string Reference = "#555555";

    private static readonly string[] s_colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

    private static readonly SvgMarker[] s_markers = [SvgMarker.Circle, SvgMarker.Square, SvgMarker.Triangle, SvgMarker.Diamond];

    public static string Color(int index) => s_colors[index % s_colors.Length];

    public static SvgMarker Marker(int index) => s_markers[index % s_markers.Length];
}
