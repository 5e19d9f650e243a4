namespace Interlude.Talk.Slides;

/// <summary>One slide: when it appears and when the next one replaces it (or the talk ends).</summary>
internal sealed record SlideSpan(int Index, double Start, double End)
{
    /// <summary>The file name stem of the slide's outputs: 000, 001, ...</summary>
    public string Name => Index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
}
