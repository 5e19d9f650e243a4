using Interlude.AspNetCore.Tests.Infrastructure;

namespace Interlude.AspNetCore.Tests;

/// <summary>The HTTP suite on two Interlude loops with the Adaptive wait strategy.</summary>
public sealed class InterludeAdaptiveTransportHttpTests : HttpTransportTests
{
    protected override TransportKind Transport => TransportKind.Interlude;

    protected override Action<InterludeTransportOptions>? Configure => TestServer.Loops(WaitStrategy.Adaptive);
}
