using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fortunes.Data;
using Interlude.Fortunes.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Interlude.Fortunes.Tests;

/// <summary>
/// TechEmpower's rules for each test type, checked against the real database on one transport; the same cases run
/// on Kestrel sockets and on Interlude.
/// </summary>
public abstract partial class EndpointTests(FortunesServer server)
{
    private HttpClient Client => server.Client;

    [PostgresFact]
    public async Task Plaintext_is_hello_world_as_text()
    {
        using HttpResponseMessage response = await Client.GetAsync("/plaintext");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.Contains("Server"));
        Assert.NotNull(response.Headers.Date);
    }

    [PostgresFact]
    public async Task Json_is_the_message_object()
    {
        using HttpResponseMessage response = await Client.GetAsync("/json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"message":"Hello, World!"}""", await response.Content.ReadAsStringAsync());
    }

    [PostgresFact]
    public async Task Db_is_one_row_of_the_world_table_as_stored()
    {
        for (int i = 0; i < 20; i++)
        {
            using JsonDocument row = await GetJson("/db");
            (int id, int number) = Row(row.RootElement);
            Assert.InRange(id, 1, 10000);
            Assert.InRange(number, 1, 10000);
            Assert.Equal(StoredNumber(id), number);
        }
    }

    [PostgresTheory]
    [InlineData("/queries", 1)]
    [InlineData("/queries?queries=", 1)]
    [InlineData("/queries?queries=foo", 1)]
    [InlineData("/queries?queries=0", 1)]
    [InlineData("/queries?queries=-3", 1)]
    [InlineData("/queries?queries=1", 1)]
    [InlineData("/queries?queries=17", 17)]
    [InlineData("/queries?queries=501", 500)]
    public async Task Queries_returns_the_clamped_count_of_stored_rows(string path, int expected)
    {
        using JsonDocument rows = await GetJson(path);
        Assert.Equal(JsonValueKind.Array, rows.RootElement.ValueKind);
        Assert.Equal(expected, rows.RootElement.GetArrayLength());
        foreach (JsonElement element in rows.RootElement.EnumerateArray().Take(5))
        {
            (int id, int number) = Row(element);
            Assert.InRange(id, 1, 10000);
            Assert.Equal(StoredNumber(id), number);
        }
    }

    [PostgresFact]
    public async Task Updates_store_the_numbers_they_return()
    {
        using JsonDocument rows = await GetJson("/updates?queries=5");
        Assert.Equal(5, rows.RootElement.GetArrayLength());
        foreach (JsonElement element in rows.RootElement.EnumerateArray())
        {
            (int id, int number) = Row(element);
            Assert.InRange(number, 1, 10000);

            // A concurrent update of the same row could change it again; in this test nothing else writes.
            Assert.Equal(number, StoredNumber(id));
        }
    }

    [PostgresFact]
    public async Task Fortunes_are_every_row_plus_the_added_one_sorted_and_encoded()
    {
        using HttpResponseMessage response = await Client.GetAsync("/fortunes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        string html = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>", html, StringComparison.Ordinal);
        Assert.EndsWith("</table></body></html>", html.TrimEnd(), StringComparison.Ordinal);

        // The rows as the page shows them, decoded, against the table plus the added fortune, sorted by message.
        List<(int Id, string Message)> shown = [.. RowPattern().Matches(html).Select(m => (int.Parse(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)))];
        List<(int Id, string Message)> expected = [.. StoredFortunes().Append((Id: 0, Message: WorldDb.AddedFortune)).OrderBy(f => f.Message, StringComparer.Ordinal)];
        Assert.Equal(expected, shown);

        // What must be encoded is; what need not be (the Japanese fortune) is sent as it is, as TechEmpower expects.
        Assert.Contains("<td>&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);&lt;/script&gt;</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("<td>フレームワークのベンチマーク</td>", html, StringComparison.Ordinal);
    }

    private static (int Id, int RandomNumber) Row(JsonElement element)
    {
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        Assert.Equal(["id", "randomNumber"], element.EnumerateObject().Select(p => p.Name));
        return (element.GetProperty("id").GetInt32(), element.GetProperty("randomNumber").GetInt32());
    }

    private static int StoredNumber(int id)
    {
        using NpgsqlConnection connection = Postgres.Open();
        using var command = new NpgsqlCommand("SELECT randomnumber FROM world WHERE id = $1", connection) { Parameters = { new() { Value = id } } };
        return (int)command.ExecuteScalar()!;
    }

    private static List<(int Id, string Message)> StoredFortunes()
    {
        using NpgsqlConnection connection = Postgres.Open();
        using var command = new NpgsqlCommand("SELECT id, message FROM fortune", connection);
        using NpgsqlDataReader reader = command.ExecuteReader();
        var result = new List<(int, string)>();
        while (reader.Read())
        {
            result.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        return result;
    }

    private async Task<JsonDocument> GetJson(string path)
    {
        using HttpResponseMessage response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("<tr><td>([0-9]+)</td><td>(.*?)</td></tr>")]
    private static partial Regex RowPattern();
}

public sealed class SocketsEndpointTests(SocketsServer server) : EndpointTests(server), IClassFixture<SocketsServer>;

public sealed class InterludeEndpointTests(InterludeServer server) : EndpointTests(server), IClassFixture<InterludeServer>;
