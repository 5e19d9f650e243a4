using Interlude.Talk.Evaluation;
using Xunit;

namespace Interlude.Talk.Tests.Evaluation;

public sealed class ProperNounRecallTests
{
    [Fact]
    public void Counts_each_spoken_occurrence_once_and_ignores_case()
    {
        const string Spoken = "Interlude runs Kestrel. Try Interlude.";
        Assert.Equal((3, 3), ProperNounRecall.Count(Spoken, "interlude runs kestrel try interlude", ["Interlude", "Kestrel"]));
        Assert.Equal((2, 3), ProperNounRecall.Count(Spoken, "interlude runs castro try interlude interlude", ["Interlude", "Kestrel"]));
        Assert.Equal((0, 3), ProperNounRecall.Count(Spoken, "intel runs castro", ["Interlude", "Kestrel"]));
    }

    [Fact]
    public void Nouns_not_spoken_do_not_count()
    {
        Assert.Equal((1, 1), ProperNounRecall.Count("about epoll", "about epoll and futex", ["epoll", "futex", "CUDA"]));
    }
}
