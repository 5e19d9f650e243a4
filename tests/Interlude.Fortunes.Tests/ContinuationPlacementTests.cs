using Fortunes.Hosting;
using Interlude;
using Interlude.Fortunes.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Interlude.Fortunes.Tests;

/// <summary>
/// Where the app's code runs around a database round trip, the cause of the ThreadPool hop bench db measures: on
/// Interlude a request starts on its connection's loop, and the code after an await on Npgsql (whose socket
/// completes on .NET's socket engine, then the ThreadPool) comes back to that same loop through the loop's
/// synchronization context; on Kestrel sockets no loop is involved.
/// </summary>
public sealed class ContinuationPlacementTests
{
    [PostgresTheory]
    [InlineData("interlude")]
    [InlineData("sockets")]
    public async Task Code_after_a_database_await_resumes_where_the_transport_says(string transport)
    {
        WebApplication app = FortunesHost.Build(["--transport", transport, "--urls", "http://127.0.0.1:0"]);
        var placements = new List<(Loop? Before, Loop? After, bool AfterOnPool)>();
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            Loop? before = Loop.Current;
            await next(context);
            lock (placements)
            {
                placements.Add((before, Loop.Current, Thread.CurrentThread.IsThreadPoolThread));
            }
        });
        await app.StartAsync();
        try
        {
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            for (int i = 0; i < 10; i++)
            {
                (await client.GetAsync("/db")).EnsureSuccessStatusCode();
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Assert.Equal(10, placements.Count);
        foreach ((Loop? before, Loop? after, bool afterOnPool) in placements)
        {
            if (transport == "interlude")
            {
                Assert.NotNull(before);
                Assert.Same(before, after);
                Assert.False(afterOnPool);
            }
            else
            {
                Assert.Null(before);
                Assert.Null(after);
                Assert.True(afterOnPool);
            }
        }
    }
}
