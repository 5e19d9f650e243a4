using Xunit;

namespace Interlude.Fortunes.Tests.Infrastructure;

/// <summary>A theory that needs the TechEmpower database: skipped, saying why, when it is not reachable.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (Postgres.Unreachable is { } reason)
        {
            Skip = reason;
        }
    }
}
