using Interlude.Cuda.Completion;
using Xunit;

namespace Interlude.Cuda.Tests.Infrastructure;

/// <summary>A submission that records how it ended and in which order, against a shared log.</summary>
internal sealed class FakeOperation(int id, List<int>? log = null) : ICompletable
{
    internal int Id { get; } = id;

    internal bool Completed { get; private set; }

    internal Exception? Error { get; private set; }

    public void Complete()
    {
        Assert.False(Completed || Error is not null, $"operation {Id} ended twice");
        Completed = true;
        log?.Add(Id);
    }

    public void Fail(Exception error)
    {
        Assert.False(Completed || Error is not null, $"operation {Id} ended twice");
        Error = error;
    }
}
