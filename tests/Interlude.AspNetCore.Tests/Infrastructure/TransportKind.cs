namespace Interlude.AspNetCore.Tests.Infrastructure;

/// <summary>The transport a test server runs Kestrel on.</summary>
public enum TransportKind
{
    /// <summary>Kestrel's own socket transport.</summary>
    Sockets,

    /// <summary>Interlude loops, through <c>UseInterlude</c>.</summary>
    Interlude,
}
