using Fortunes.Hosting;
using Npgsql;

namespace Interlude.Fortunes.Tests.Infrastructure;

/// <summary>Whether the TechEmpower database scripts/install-postgres.sh makes is reachable, asked once.</summary>
internal static class Postgres
{
    private static readonly Lazy<string?> s_unreachable = new(Probe);

    /// <summary>Null when the database answers; otherwise why not.</summary>
    public static string? Unreachable => s_unreachable.Value;

    public static NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(FortunesHost.DefaultConnectionString);
        connection.Open();
        return connection;
    }

    private static string? Probe()
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(FortunesHost.DefaultConnectionString) { Timeout = 3, Pooling = false };
            using var connection = new NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM world) = 10000 AND (SELECT count(*) FROM fortune) = 12", connection);
            return command.ExecuteScalar() is true ? null : "the hello_world database's tables do not hold TechEmpower's rows (run scripts/install-postgres.sh)";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            return $"PostgreSQL's hello_world database is not reachable at 127.0.0.1:5432 ({e.Message}); scripts/install-postgres.sh installs and fills it, and .ci/run tries to";
        }
    }
}
