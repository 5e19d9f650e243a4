using Interlude.AspNetCore.Tests.Infrastructure;

namespace Interlude.AspNetCore.Tests;

/// <summary>The HTTP suite on two Interlude loops with the Block wait strategy.</summary>
public sealed class InterludeBlockTransportHttpTests : HttpTransportTests
{
    protected override TransportKind Transport => TransportKind.Interlude;

    protected override Action<InterludeTransportOptions>? Configure => TestServer.Loops(WaitStrategy.Block);
}
