using Interlude.Harness.Reporting;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class HtmlSvgScaleTests
{
    [Fact]
    public void ALogScaleGivesEveryDecadeTheSameLength()
    {
        SvgScale scale = SvgScale.Log10(1, 1000, 100, 400);

        Assert.Equal(100, scale.Map(1), 9);
        Assert.Equal(200, scale.Map(10), 9);
        Assert.Equal(300, scale.Map(100), 9);
        Assert.Equal(400, scale.Map(1000), 9);
        Assert.Equal(scale.Map(20) - scale.Map(2), scale.Map(200) - scale.Map(20), 9);
    }

    [Fact]
    public void ALogScaleRoundsOutToWholeDecadesWithATickAtEach()
    {
        SvgScale scale = SvgScale.Log10(3, 700, 0, 300);

        Assert.Equal(1, scale.DomainMin, 12);
        Assert.Equal(1000, scale.DomainMax, 9);
        Assert.Equal([1.0, 10.0, 100.0, 1000.0], scale.MajorTicks().Select(t => Math.Round(t, 9)));
        Assert.Equal(3 * 8, scale.MinorTicks().Count);
    }

    [Fact]
    public void ALogScaleOverASingleValueSpansADecade()
    {
        SvgScale scale = SvgScale.Log10(10, 10, 0, 100);

        Assert.Equal(10, scale.DomainMin, 9);
        Assert.Equal(100, scale.DomainMax, 9);
        Assert.Equal([10.0, 20.0, 50.0, 100.0], scale.MajorTicks().Select(t => Math.Round(t, 9)));
    }

    [Fact]
    public void ALogScalePutsValuesAtOrBelowZeroOnItsLowEnd()
    {
        SvgScale scale = SvgScale.Log10(1, 100, 50, 250);

        Assert.Equal(50, scale.Map(0), 9);
        Assert.Equal(50, scale.Map(-5), 9);
    }

    [Fact]
    public void ALinearScaleEndsOnARoundStep()
    {
        SvgScale scale = SvgScale.Linear(0, 87_000, 300, 0);

        Assert.Equal(0, scale.DomainMin);
        Assert.Equal(100_000, scale.DomainMax, 6);
        Assert.Equal([0.0, 20_000, 40_000, 60_000, 80_000, 100_000], scale.MajorTicks());
        Assert.Equal(300, scale.Map(0), 9);
        Assert.Equal(150, scale.Map(50_000), 9);
        Assert.Equal(0, scale.Map(100_000), 9);
    }

    [Fact]
    public void ALinearScaleKeepsAFixedDomainWhenAsked()
    {
        SvgScale scale = SvgScale.Linear(0, 1, 0, 100, extend: false);

        Assert.Equal([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], scale.MajorTicks().Select(t => Math.Round(t, 12)));
        Assert.Equal(50, scale.Map(0.5), 9);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("<&>", "&lt;&amp;&gt;")]
    [InlineData("\"a\" 'b'", "&quot;a&quot; &#39;b&#39;")]
    public void MarkupEscapesEveryCharacterXmlAndHtmlTreatSpecially(string text, string expected)
        => Assert.Equal(expected, SvgMarkup.Escape(text));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(0.25, "0.25")]
    [InlineData(250_000, "250k")]
    [InlineData(1_500_000, "1.5M")]
    public void AxisLabelsAreCompact(double value, string expected) => Assert.Equal(expected, SvgMarkup.Compact(value));
}
