using Interlude.Talk.Pipeline;
using Xunit;

namespace Interlude.Talk.Tests.Pipeline;

public sealed class InOrderReleaseTests
{
    [Fact]
    public void Releases_in_index_order_whatever_the_completion_order()
    {
        var released = new List<string>();
        var release = new InOrderRelease<string>(4, released.Add);
        release.Complete(2, "c");
        release.Complete(1, "b");
        Assert.Empty(released);
        release.Complete(0, "a");
        Assert.Equal(["a", "b", "c"], released);
        release.Complete(3, "d");
        Assert.Equal(["a", "b", "c", "d"], released);
        Assert.Equal(4, release.Released);
    }

    [Fact]
    public void A_result_completed_twice_is_a_bug()
    {
        var release = new InOrderRelease<int>(2, _ => { });
        release.Complete(1, 1);
        Assert.Throws<InvalidOperationException>(() => release.Complete(1, 1));
    }
}
