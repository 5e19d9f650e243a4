using System.Data;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Fortunes.Data;

/// <summary>The benchmark's queries, in raw ADO.NET on one <see cref="NpgsqlDataSource"/>.</summary>
public sealed class WorldDb(NpgsqlDataSource dataSource)
{
    /// <summary>The fortune TechEmpower adds to the table's rows before sorting them.</summary>
    public const string AddedFortune = "Additional fortune added at request time.";

    private const int MaxUpdateBatch = 500;
    // The UPDATE text for each batch size, built once. Written and read by any request's thread without a lock: two
    // threads may both build the same text, and either's store is a whole, equal string.
    private static readonly string[] s_updateSql = new string[MaxUpdateBatch + 1];

    public async Task<World> LoadSingleQueryRow()
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync();
        using NpgsqlCommand command = CreateReadCommand(connection, out NpgsqlParameter<int> id);
        id.TypedValue = NextId();
        return await ReadSingleRow(command);
    }

    public async Task<World[]> LoadMultipleQueriesRows(int count)
    {
        var result = new World[count];
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync();
        using NpgsqlCommand command = CreateReadCommand(connection, out NpgsqlParameter<int> id);
        for (int i = 0; i < count; i++)
        {
            id.TypedValue = NextId();
            result[i] = await ReadSingleRow(command);
        }

        return result;
    }

    public async Task<World[]> LoadMultipleUpdatesRows(int count)
    {
        var result = new World[count];
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync();
        using (NpgsqlCommand read = CreateReadCommand(connection, out NpgsqlParameter<int> id))
        {
            for (int i = 0; i < count; i++)
            {
                id.TypedValue = NextId();
                result[i] = await ReadSingleRow(read);
            }
        }

        // Rows are updated in id order, so concurrent updates of the same rows cannot deadlock.
        Array.Sort(result, static (a, b) => a.Id.CompareTo(b.Id));
        using var update = new NpgsqlCommand(UpdateSql(count), connection);
        for (int i = 0; i < count; i++)
        {
            result[i].RandomNumber = Random.Shared.Next(1, 10001);
            update.Parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = result[i].Id });
            update.Parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = result[i].RandomNumber });
        }

        await update.ExecuteNonQueryAsync();
        return result;
    }

    public async Task<List<Fortune>> LoadFortunesRows()
    {
        var result = new List<Fortune>(16);
        await using (NpgsqlConnection connection = await dataSource.OpenConnectionAsync())
        {
            using var command = new NpgsqlCommand("SELECT id, message FROM fortune", connection);
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(CommandBehavior.SingleResult);
            while (await reader.ReadAsync())
            {
                result.Add(new Fortune(reader.GetInt32(0), reader.GetString(1)));
            }
        }

        result.Add(new Fortune(0, AddedFortune));
        result.Sort();
        return result;
    }

    private static int NextId() => Random.Shared.Next(1, 10001);

    private static NpgsqlCommand CreateReadCommand(NpgsqlConnection connection, out NpgsqlParameter<int> id)
    {
        var command = new NpgsqlCommand("SELECT id, randomnumber FROM world WHERE id = $1", connection);
        id = new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer };
        command.Parameters.Add(id);
        return command;
    }

    private static async Task<World> ReadSingleRow(NpgsqlCommand command)
    {
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow);
        await reader.ReadAsync();
        return new World { Id = reader.GetInt32(0), RandomNumber = reader.GetInt32(1) };
    }

    private static string UpdateSql(int count)
    {
        string? sql = s_updateSql[count];
        if (sql is null)
        {
            var text = new StringBuilder("UPDATE world SET randomnumber = v.r FROM (VALUES ");
            for (int i = 0; i < count; i++)
            {
                text.Append(i == 0 ? "" : ", ").Append("($").Append((2 * i) + 1).Append("::int, $").Append((2 * i) + 2).Append("::int)");
            }

            sql = text.Append(") AS v(i, r) WHERE v.i = world.id").ToString();
            s_updateSql[count] = sql;
        }

        return sql;
    }
}
