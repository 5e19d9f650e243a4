using Interlude.AspNetCore.Tests.Infrastructure;

namespace Interlude.AspNetCore.Tests;

/// <summary>The HTTP suite on two Interlude loops with the Poll wait strategy.</summary>
public sealed class InterludePollTransportHttpTests : HttpTransportTests
{
    protected override TransportKind Transport => TransportKind.Interlude;

    protected override Action<InterludeTransportOptions>? Configure => TestServer.Loops(WaitStrategy.Poll);
}
