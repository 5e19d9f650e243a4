using Interlude.Talk.Correction;
using Xunit;

namespace Interlude.Talk.Tests.Correction;

public sealed class PhoneticKeyTests
{
    [Theory]
    [InlineData("Interlude", "inter lewd")]
    [InlineData("futex", "few decks")]
    [InlineData("ThreadPool", "thread pool")]
    [InlineData("GitHub", "get hub")]
    [InlineData("Kestrel", "kestrell")]
    public void Sound_alike_spellings_share_a_key(string word, string heard)
    {
        Assert.Equal(PhoneticKey.Of(word), PhoneticKey.Of(heard));
    }

    [Theory]
    [InlineData("Interlude", "interview")]
    [InlineData("futex", "future")]
    [InlineData("epoll", "apple pie")]
    public void Different_words_differ(string word, string other)
    {
        Assert.NotEqual(PhoneticKey.Of(word), PhoneticKey.Of(other));
    }

    [Fact]
    public void Keys_drop_inner_vowels_and_merge_voiced_pairs()
    {
        Assert.Equal("ANTRLT", PhoneticKey.Of("Interlude"));
        Assert.Equal("FTKS", PhoneticKey.Of("futex"));
    }
}
