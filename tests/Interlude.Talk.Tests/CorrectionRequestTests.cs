using Interlude.Talk.Engines;
using Xunit;

namespace Interlude.Talk.Tests;

public sealed class CorrectionRequestTests
{
    [Fact]
    public void Carries_the_slide_and_title_text_beside_the_transcript()
    {
        var request = new CorrectionRequest("the inter lewd runtime", "Interlude\nper-core loops", "Interlude: the killer microsecond", "en");

        Assert.Equal("the inter lewd runtime", request.Transcript);
        Assert.Contains("per-core loops", request.SlideText, StringComparison.Ordinal);
        Assert.StartsWith("Interlude:", request.TitleSlideText, StringComparison.Ordinal);
        Assert.Equal("en", request.Language);
    }
}
