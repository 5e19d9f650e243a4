using Xunit;

namespace Interlude.Talk.Tests.Infrastructure;

/// <summary>The tests that share one generated talk and one pipeline run over it.</summary>
[CollectionDefinition(Name)]
public sealed class SyntheticTalkCollection : ICollectionFixture<SyntheticTalk>
{
    public const string Name = "synthetic talk";
}
