using Xunit;

namespace Interlude.PublicSurface.Tests.Infrastructure;

public static class WaitStrategies
{
    public static TheoryData<WaitStrategy> All => new() { WaitStrategy.Poll, WaitStrategy.Block, WaitStrategy.Adaptive };
}
