using System.Xml.Linq;
using Interlude.Harness.Reporting;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class HtmlLineChartTests
{
    [Fact]
    public void DrawsOneGroupPerSeriesWithAMarkerPerPointAndALegendEntryEach()
    {
        var chart = new SvgLineChart("t", "x", "y") { LogX = true };
        chart.Add(new SvgSeries("a", SvgPalette.Color(0), [(1, 1), (10, 2), (100, 3)], SvgMarker.Circle));
        chart.Add(new SvgSeries("b", SvgPalette.Color(1), [(1, 2), (10, 3), (100, 4)], SvgMarker.Square));
        chart.Add(new SvgSeries("ref", SvgPalette.Reference, [(1, 5), (100, 5)], IsReference: true));

        XElement svg = XElement.Parse(chart.Render());

        List<XElement> series = svg.Descendants("g").Where(g => (string?)g.Attribute("class") == "series").ToList();
        Assert.Equal(["a", "b"], series.Select(g => (string)g.Attribute("data-label")!));
        Assert.Equal(3, series[0].Elements("circle").Count());
        Assert.Equal(3, series[1].Elements("rect").Count());
        XElement legend = svg.Descendants("g").Single(g => (string?)g.Attribute("class") == "legend");
        Assert.Equal(["a", "b", "ref"], legend.Elements("text").Select(t => t.Value));
    }

    [Fact]
    public void LeavesPointsALogAxisCannotShowOutOfThePath()
    {
        var chart = new SvgLineChart("t", "x", "y") { LogX = true };
        chart.Add(new SvgSeries("a", SvgPalette.Color(0), [(0, 1), (double.NaN, 1), (10, 2), (100, 3)], SvgMarker.Circle));

        XElement svg = XElement.Parse(chart.Render());

        XElement series = svg.Descendants("g").Single(g => (string?)g.Attribute("class") == "series");
        Assert.Equal(2, series.Elements("circle").Count());
    }

    [Fact]
    public void ALogYAxisSpacesDecadesEquallyAndLeavesOutWhatItCannotShow()
    {
        var chart = new SvgLineChart("t", "x", "y") { LogY = true };
        chart.Add(new SvgSeries("a", SvgPalette.Color(0), [(1, 1), (2, 10), (3, 100), (4, 0)], SvgMarker.Circle));

        XElement svg = XElement.Parse(chart.Render());

        double[] ys = [.. svg.Descendants("g").Single(g => (string?)g.Attribute("class") == "series").Elements("circle")
            .Select(c => double.Parse((string)c.Attribute("cy")!, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(3, ys.Length);
        Assert.True(ys[0] > ys[1] && ys[1] > ys[2], "higher values are drawn higher");
        Assert.Equal(ys[0] - ys[1], ys[1] - ys[2], 1);
    }

    [Fact]
    public void ThinsPointsCloserThanHalfAPixelButKeepsTheLast()
    {
        var points = Enumerable.Range(0, 10_001).Select(i => (X: 1 + (i / 10_000.0), Y: i / 10_000.0)).ToList();
        var chart = new SvgLineChart("t", "x", "y") { Width = 400, Height = 300, YMin = 0, YMax = 1 };
        chart.Add(new SvgSeries("cdf", SvgPalette.Color(0), points));

        XElement svg = XElement.Parse(chart.Render());

        string d = (string)svg.Descendants("path").Single().Attribute("d")!;
        int segments = d.Count(c => c == 'L');
        Assert.InRange(segments, 10, 1000);
    }

    [Fact]
    public void SaysSoWhenThereIsNoData()
    {
        var chart = new SvgLineChart("t", "x", "y") { LogX = true };

        XElement svg = XElement.Parse(chart.Render());

        Assert.Contains(svg.Descendants("text"), t => t.Value == "no data");
    }
}
