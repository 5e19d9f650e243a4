using Interlude.AspNetCore.Tests.Infrastructure;

namespace Interlude.AspNetCore.Tests;

/// <summary>The HTTP suite on Interlude loops through <c>UseInterlude()</c> with the shipped options, as an application gets it.</summary>
public sealed class InterludeTransportHttpTests : HttpTransportTests
{
    protected override TransportKind Transport => TransportKind.Interlude;
}
