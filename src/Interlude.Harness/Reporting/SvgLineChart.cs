using System.Text;

namespace Interlude.Harness.Reporting;

/// <summary>
/// Builds one line chart as a standalone SVG element: axes with ticks and labels, a grid, one path (and markers)
/// per series, and a legend. The markup needs no script, font or stylesheet, and parses as XML on its own.
/// </summary>
public sealed class SvgLineChart
{
    private const double MarginLeft = 70;
    private const double MarginTop = 34;
    private const double MarginRight = 20;
    private const double MarginBottom = 48;
    private const double LegendRowHeight = 18;
    private const double LegendSwatch = 26;

    // No font is embedded, so text widths are estimates: about 0.6 em per character at 12 px.
    private const double CharWidth = 7;

    private readonly List<SvgSeries> _series = [];

    public SvgLineChart(string title, string xLabel, string yLabel)
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
    }

    public string Title { get; }

    public string XLabel { get; }

    public string YLabel { get; }

    public int Width { get; init; } = 900;

    public int Height { get; init; } = 380;

    public bool LogX { get; init; }

    /// <summary>Whether the y axis is logarithmic (base 10), for values that span decades; non-positive values are left out, and <c>YMin</c>/<c>YMax</c> do not apply.</summary>
    public bool LogY { get; init; }

    /// <summary>Fixes the bottom of the y axis; by default it is zero, or below when the data goes negative.</summary>
    public double? YMin { get; init; }

    /// <summary>Fixes the top of the y axis; by default the next round step above the largest value.</summary>
    public double? YMax { get; init; }

    public SvgLegendPlacement Legend { get; init; } = SvgLegendPlacement.Right;

    public IReadOnlyList<SvgSeries> Series => _series;

    public SvgLineChart Add(SvgSeries series)
    {
        _series.Add(series);
        return this;
    }

    public string Render()
    {
        var data = _series.Select(s => (Series: s, Points: Plottable(s.Points))).ToList();
        List<(double X, double Y)> all = data.SelectMany(d => d.Points).ToList();

        double legendWidth = Legend == SvgLegendPlacement.Right && _series.Count > 0
            ? LegendSwatch + 14 + (_series.Max(s => s.Label.Length) * CharWidth)
            : 0;
        double left = MarginLeft;
        double right = Width - MarginRight - legendWidth;
        double plotWidth = right - left;
        List<List<int>> legendRows = Legend == SvgLegendPlacement.Bottom ? LegendRows(plotWidth + MarginLeft - 10) : [];
        double top = MarginTop;
        double bottom = Height - MarginBottom - (legendRows.Count * LegendRowHeight);

        SvgScale x = LogX
            ? SvgScale.Log10(all.Count > 0 ? all.Min(p => p.X) : 1, all.Count > 0 ? all.Max(p => p.X) : 10, left, right)
            : SvgScale.Linear(
                all.Count > 0 ? Math.Min(0, all.Min(p => p.X)) : 0,
                all.Count > 0 ? all.Max(p => p.X) : 1,
                left,
                right);
        double yLow = YMin ?? (all.Count > 0 ? Math.Min(0, all.Min(p => p.Y)) : 0);
        double yHigh = YMax ?? (all.Count > 0 ? all.Max(p => p.Y) : 1);
        SvgScale y = LogY
            ? SvgScale.Log10(all.Count > 0 ? all.Min(p => p.Y) : 1, all.Count > 0 ? all.Max(p => p.Y) : 10, bottom, top)
            : SvgScale.Linear(yLow, yHigh, bottom, top, extend: YMin is null || YMax is null);

        var svg = new StringBuilder(4096);
        svg.Append($"<svg class=\"chart\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" ")
            .Append($"aria-label=\"{SvgMarkup.Escape(Title)}\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" font-size=\"12\">\n");
        svg.Append($"<title>{SvgMarkup.Escape(Title)}</title>\n");
        svg.Append($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
        svg.Append($"<text x=\"{N(left)}\" y=\"20\" font-size=\"14\" font-weight=\"600\" fill=\"#222222\">{SvgMarkup.Escape(Title)}</text>\n");

        AppendGrid(svg, x, y, left, right, top, bottom);
        if (all.Count == 0)
        {
            svg.Append($"<text x=\"{N((left + right) / 2)}\" y=\"{N((top + bottom) / 2)}\" text-anchor=\"middle\" fill=\"#777777\">no data</text>\n");
        }

        // Reference lines first, so measured data draws over them.
        foreach ((SvgSeries series, List<(double X, double Y)> points) in data.OrderBy(d => d.Series.IsReference ? 0 : 1))
        {
            AppendSeries(svg, series, points, x, y);
        }

        AppendLegend(svg, legendRows, right, top, bottom);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private List<(double X, double Y)> Plottable(IReadOnlyList<(double X, double Y)> points)
        => points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && (!LogX || p.X > 0) && (!LogY || p.Y > 0)).ToList();

    private void AppendGrid(StringBuilder svg, SvgScale x, SvgScale y, double left, double right, double top, double bottom)
    {
        svg.Append("<g class=\"grid\" stroke-width=\"1\">\n");
        foreach (double tick in x.MinorTicks())
        {
            svg.Append($"<line x1=\"{N(x.Map(tick))}\" y1=\"{N(top)}\" x2=\"{N(x.Map(tick))}\" y2=\"{N(bottom)}\" stroke=\"#f0f0f0\"/>\n");
        }

        foreach (double tick in x.MajorTicks())
        {
            svg.Append($"<line x1=\"{N(x.Map(tick))}\" y1=\"{N(top)}\" x2=\"{N(x.Map(tick))}\" y2=\"{N(bottom)}\" stroke=\"#dddddd\"/>\n");
        }

        foreach (double tick in y.MajorTicks())
        {
            svg.Append($"<line x1=\"{N(left)}\" y1=\"{N(y.Map(tick))}\" x2=\"{N(right)}\" y2=\"{N(y.Map(tick))}\" stroke=\"#dddddd\"/>\n");
        }

        svg.Append("</g>\n");

        svg.Append("<g class=\"axes\" fill=\"#333333\">\n");
        svg.Append($"<rect x=\"{N(left)}\" y=\"{N(top)}\" width=\"{N(right - left)}\" height=\"{N(bottom - top)}\" fill=\"none\" stroke=\"#888888\"/>\n");
        foreach (double tick in x.MajorTicks())
        {
            double at = x.Map(tick);
            svg.Append($"<line x1=\"{N(at)}\" y1=\"{N(bottom)}\" x2=\"{N(at)}\" y2=\"{N(bottom + 5)}\" stroke=\"#888888\"/>\n");
            svg.Append($"<text x=\"{N(at)}\" y=\"{N(bottom + 18)}\" text-anchor=\"middle\">{SvgMarkup.Escape(SvgMarkup.Compact(tick))}</text>\n");
        }

        foreach (double tick in y.MajorTicks())
        {
            double at = y.Map(tick);
            svg.Append($"<line x1=\"{N(left - 5)}\" y1=\"{N(at)}\" x2=\"{N(left)}\" y2=\"{N(at)}\" stroke=\"#888888\"/>\n");
            svg.Append($"<text x=\"{N(left - 8)}\" y=\"{N(at + 4)}\" text-anchor=\"end\">{SvgMarkup.Escape(SvgMarkup.Compact(tick))}</text>\n");
        }

        svg.Append($"<text class=\"x-label\" x=\"{N((left + right) / 2)}\" y=\"{N(bottom + 38)}\" text-anchor=\"middle\">{SvgMarkup.Escape(XLabel)}</text>\n");
        double middle = (top + bottom) / 2;
        svg.Append($"<text class=\"y-label\" x=\"16\" y=\"{N(middle)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {N(middle)})\">{SvgMarkup.Escape(YLabel)}</text>\n");
        svg.Append("</g>\n");
    }

    private static void AppendSeries(StringBuilder svg, SvgSeries series, List<(double X, double Y)> points, SvgScale x, SvgScale y)
    {
        string kind = series.IsReference ? "reference" : "series";
        svg.Append($"<g class=\"{kind}\" data-label=\"{SvgMarkup.Escape(series.Label)}\">\n");
        List<(double X, double Y)> mapped = points.Select(p => (x.Map(p.X), y.Map(p.Y))).ToList();
        if (mapped.Count > 1)
        {
            string dash = series.IsReference ? " stroke-dasharray=\"6 4\"" : string.Empty;
            string width = series.IsReference ? "1.5" : "2";
            svg.Append($"<path d=\"{PathData(mapped)}\" fill=\"none\" stroke=\"{SvgMarkup.Escape(series.Color)}\" stroke-width=\"{width}\" stroke-linejoin=\"round\"{dash}/>\n");
        }

        foreach ((double px, double py) in mapped)
        {
            AppendMarker(svg, series.Marker, series.Color, px, py);
        }

        svg.Append("</g>\n");
    }

    /// <summary>
    /// The path through the points, leaving out those within half a pixel of the last one kept: a CDF has
    /// thousands of buckets, far more points than pixels, and dropping them changes nothing visible.
    /// </summary>
    private static string PathData(List<(double X, double Y)> mapped)
    {
        var path = new StringBuilder();
        (double X, double Y) kept = mapped[0];
        path.Append('M').Append(N(kept.X)).Append(',').Append(N(kept.Y));
        for (int i = 1; i < mapped.Count; i++)
        {
            (double X, double Y) point = mapped[i];
            bool last = i == mapped.Count - 1;
            if (!last && Math.Abs(point.X - kept.X) < 0.5 && Math.Abs(point.Y - kept.Y) < 0.5)
            {
                continue;
            }

            path.Append('L').Append(N(point.X)).Append(',').Append(N(point.Y));
            kept = point;
        }

        return path.ToString();
    }

    private static void AppendMarker(StringBuilder svg, SvgMarker marker, string color, double x, double y)
    {
        string style = $"fill=\"{SvgMarkup.Escape(color)}\" stroke=\"#ffffff\" stroke-width=\"1\"";
        switch (marker)
        {
            case SvgMarker.Circle:
                svg.Append($"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"4\" {style}/>\n");
                break;
            case SvgMarker.Square:
                svg.Append($"<rect x=\"{N(x - 3.6)}\" y=\"{N(y - 3.6)}\" width=\"7.2\" height=\"7.2\" {style}/>\n");
                break;
            case SvgMarker.Triangle:
                svg.Append($"<path d=\"M{N(x)},{N(y - 4.8)}L{N(x + 4.4)},{N(y + 3.2)}L{N(x - 4.4)},{N(y + 3.2)}Z\" {style}/>\n");
                break;
            case SvgMarker.Diamond:
                svg.Append($"<path d=\"M{N(x)},{N(y - 5)}L{N(x + 5)},{N(y)}L{N(x)},{N(y + 5)}L{N(x - 5)},{N(y)}Z\" {style}/>\n");
                break;
            case SvgMarker.None:
            default:
                break;
        }
    }

    private List<List<int>> LegendRows(double available)
    {
        var rows = new List<List<int>>();
        var row = new List<int>();
        double used = 0;
        for (int i = 0; i < _series.Count; i++)
        {
            double width = LegendEntryWidth(_series[i]);
            if (row.Count > 0 && used + width > available)
            {
                rows.Add(row);
                row = [];
                used = 0;
            }

            row.Add(i);
            used += width;
        }

        if (row.Count > 0)
        {
            rows.Add(row);
        }

        return rows;
    }

    private static double LegendEntryWidth(SvgSeries series) => LegendSwatch + 8 + (series.Label.Length * CharWidth) + 16;

    private void AppendLegend(StringBuilder svg, List<List<int>> bottomRows, double plotRight, double top, double bottom)
    {
        if (_series.Count == 0)
        {
            return;
        }

        svg.Append("<g class=\"legend\">\n");
        if (Legend == SvgLegendPlacement.Right)
        {
            double x = plotRight + 14;
            for (int i = 0; i < _series.Count; i++)
            {
                AppendLegendEntry(svg, _series[i], x, top + 10 + (i * LegendRowHeight));
            }
        }
        else
        {
            for (int row = 0; row < bottomRows.Count; row++)
            {
                double x = 10;
                double y = bottom + MarginBottom + 4 + (row * LegendRowHeight);
                foreach (int index in bottomRows[row])
                {
                    AppendLegendEntry(svg, _series[index], x, y);
                    x += LegendEntryWidth(_series[index]);
                }
            }
        }

        svg.Append("</g>\n");
    }

    private static void AppendLegendEntry(StringBuilder svg, SvgSeries series, double x, double y)
    {
        string dash = series.IsReference ? " stroke-dasharray=\"6 4\"" : string.Empty;
        svg.Append($"<line x1=\"{N(x)}\" y1=\"{N(y)}\" x2=\"{N(x + LegendSwatch)}\" y2=\"{N(y)}\" stroke=\"{SvgMarkup.Escape(series.Color)}\" stroke-width=\"2\"{dash}/>\n");
        AppendMarker(svg, series.Marker, series.Color, x + (LegendSwatch / 2), y);
        svg.Append($"<text x=\"{N(x + LegendSwatch + 6)}\" y=\"{N(y + 4)}\" fill=\"#222222\">{SvgMarkup.Escape(series.Label)}</text>\n");
    }

    private static string N(double value) => SvgMarkup.Coordinate(value);
}
