using Interlude.Talk.Correction;
using Interlude.Talk.Engines;
using Xunit;

namespace Interlude.Talk.Tests.Correction;

public sealed class TermCorrectorTests
{
    private static string Correct(string transcript, string slide, string title = "") =>
        new TermCorrector().Correct(new CorrectionRequest(transcript, slide, title, "en"), CancellationToken.None);

    [Fact]
    public void Replaces_a_misheard_name_printed_on_the_slide()
    {
        Assert.Equal("the Interlude runtime", Correct("the inter lewd runtime", "Interlude\nper-core loops"));
    }

    [Fact]
    public void Uses_the_title_slide_too()
    {
        Assert.Equal("a Interlude loop", Correct("a inter lewd loop", "Why loops", "Interlude: the killer microsecond"));
    }

    [Theory]
    [InlineData("waits on a few decks", "A sleeping loop waits on a futex", "waits on a futex")]
    [InlineData("watched with a pile", "Sockets are watched with epoll", "watched with epoll")]
    [InlineData("never touch the thread pool", "Completions never touch the ThreadPool", "never touch the ThreadPool")]
    [InlineData("and castro serves", "Kestrel serves requests", "and Kestrel serves")]
    public void Replaces_spans_that_sound_like_a_term(string transcript, string slide, string expected)
    {
        Assert.Equal(expected, Correct(transcript, slide));
    }

    [Theory]
    [InlineData("could you read the code", "CUDA streams are polled")]
    [InlineData("the core runs one loop", "Each core runs one Interlude loop")]
    [InlineData("thank you all for coming today", "Kestrel, epoll and futex on Linux")]
    [InlineData("their own court and the castle", "Coroutines resume on their own core")]
    public void Leaves_ordinary_words_alone(string transcript, string slide)
    {
        Assert.Equal(transcript, Correct(transcript, slide));
    }

    [Fact]
    public void Keeps_punctuation_around_a_replaced_span()
    {
        Assert.Equal("(Interlude), and", Correct("(inter lewd), and", "Interlude"));
    }

    [Fact]
    public void Is_deterministic()
    {
        const string Slide = "Interlude\nKestrel, epoll and futex on Linux\nCUDA streams";
        const string Transcript = "inter lewd and castro wait on a few decks with a pile and coup de streams";
        string first = Correct(Transcript, Slide);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(first, Correct(Transcript, Slide));
        }
    }

    [Fact]
    public void Common_slide_words_are_not_terms()
    {
        string[] terms = [.. Term.From("Each core runs one Interlude loop\nThe code is on GitHub").Select(t => t.Text)];
        Assert.Equal(["Interlude", "GitHub"], terms);
    }
}
