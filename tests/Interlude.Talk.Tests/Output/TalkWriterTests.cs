using Interlude.Talk.Output;
using Interlude.Talk.Pipeline;
using Interlude.Talk.Slides;
using Xunit;

namespace Interlude.Talk.Tests.Output;

public sealed class TalkWriterTests
{
    private static readonly SlideResult[] s_slides =
    [
        new(new SlideSpan(0, 0, 7.7), "slides/000.png", "Interlude", "raw", "<script>alert('x')</script> & more"),
        new(new SlideSpan(1, 7.7, 12), null, null, null, null),
    ];

    [Fact]
    public void Talk_html_encodes_the_transcript()
    {
        string html = TalkWriter.Html(s_slides, ["no audio <stream>"], withText: true);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more", html, StringComparison.Ordinal);
        Assert.Contains("no audio &lt;stream&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"slides/000.png\"", html, StringComparison.Ordinal);
        Assert.Contains("(no transcript)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Slides_json_has_the_times_and_images()
    {
        string json = TalkWriter.SlidesJson(s_slides, 0.0175);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(0.0175, document.RootElement.GetProperty("sceneThreshold").GetDouble());
        System.Text.Json.JsonElement second = document.RootElement.GetProperty("slides")[1];
        Assert.Equal(7.7, second.GetProperty("start").GetDouble());
        Assert.Equal(12, second.GetProperty("end").GetDouble());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("image").ValueKind);
    }

    [Fact]
    public void Talk_md_has_a_section_per_slide()
    {
        string md = TalkWriter.Markdown(s_slides, []);
        Assert.Contains("## 1. Interlude", md, StringComparison.Ordinal);
        Assert.Contains("## 2. Slide 2", md, StringComparison.Ordinal);
        Assert.Contains("*0:07.7 - 0:12.0*", md, StringComparison.Ordinal);
    }
}
