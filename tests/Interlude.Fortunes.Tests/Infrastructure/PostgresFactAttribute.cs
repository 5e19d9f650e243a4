using Xunit;

namespace Interlude.Fortunes.Tests.Infrastructure;

/// <summary>A fact that needs the TechEmpower database: skipped, saying why and how to get it, when it is not reachable.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (Postgres.Unreachable is { } reason)
        {
            Skip = reason;
        }
    }
}
