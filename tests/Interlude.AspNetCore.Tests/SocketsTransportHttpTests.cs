using Interlude.AspNetCore.Tests.Infrastructure;

namespace Interlude.AspNetCore.Tests;

/// <summary>The HTTP suite on Kestrel's own socket transport: the reference behaviour.</summary>
public sealed class SocketsTransportHttpTests : HttpTransportTests
{
    protected override TransportKind Transport => TransportKind.Sockets;
}
