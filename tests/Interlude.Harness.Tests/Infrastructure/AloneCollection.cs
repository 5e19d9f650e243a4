using Xunit;

namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>Test classes that load the machine for a while: run after the others, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone";
}
