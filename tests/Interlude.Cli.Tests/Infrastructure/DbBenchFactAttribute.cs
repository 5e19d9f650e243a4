using System.Net.Sockets;
using Interlude.Harness.Tls;
using Xunit;

namespace Interlude.Cli.Tests.Infrastructure;

/// <summary>A fact that needs h2load and PostgreSQL on 127.0.0.1:5432: skipped, saying which is missing and how to get it.</summary>
public sealed class DbBenchFactAttribute : FactAttribute
{
    public DbBenchFactAttribute()
    {
        if (H2load.Find() is null)
        {
            Skip = "h2load is not installed (scripts/install-h2load.sh installs it; .ci/run tries to).";
            return;
        }

        try
        {
            using var client = new TcpClient();
            if (!client.ConnectAsync("127.0.0.1", 5432).Wait(TimeSpan.FromSeconds(2)))
            {
                Skip = "PostgreSQL does not answer on 127.0.0.1:5432 (scripts/install-postgres.sh installs it; .ci/run tries to).";
            }
        }
        catch (AggregateException)
        {
            Skip = "PostgreSQL is not listening on 127.0.0.1:5432 (scripts/install-postgres.sh installs it; .ci/run tries to).";
        }
    }
}
