using Fortunes.Data;
using Microsoft.AspNetCore.Mvc;

namespace Fortunes.Controllers;

/// <summary>TechEmpower's test types, as MVC actions.</summary>
[ApiController]
public sealed class BenchmarkController(WorldDb db) : Controller
{
    private static readonly byte[] s_helloWorld = "Hello, World!"u8.ToArray();

    [HttpGet("plaintext")]
    public IActionResult Plaintext() => File(s_helloWorld, "text/plain");

    [HttpGet("json")]
    public IActionResult Json() => Json(new { message = "Hello, World!" });

    [HttpGet("db")]
    public async Task<IActionResult> Db() => Json(await db.LoadSingleQueryRow());

    [HttpGet("queries")]
    public async Task<IActionResult> Queries(string? queries) => Json(await db.LoadMultipleQueriesRows(QueryCount(queries)));

    [HttpGet("updates")]
    public async Task<IActionResult> Updates(string? queries) => Json(await db.LoadMultipleUpdatesRows(QueryCount(queries)));

    [HttpGet("fortunes")]
    public async Task<IActionResult> Fortunes() => View("Fortunes", await db.LoadFortunesRows());

    /// <summary>TechEmpower's rule: a missing or unparsable count is 1; counts are clamped to 1..500.</summary>
    public static int QueryCount(string? queries)
        => int.TryParse(queries, out int count) ? Math.Clamp(count, 1, 500) : 1;
}
