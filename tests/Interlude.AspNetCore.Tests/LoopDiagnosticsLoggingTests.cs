using Interlude.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Interlude.AspNetCore.Tests;

/// <summary>A hosted application hears of its loops' stalls through its own logging, not on standard error.</summary>
public sealed class LoopDiagnosticsLoggingTests
{
    [Fact]
    public async Task AHandlerThatBlocksItsLoopIsLoggedAsAStallWhileItLastsAndWhenItEnds()
    {
        var log = new CapturedLog("Interlude.AspNetCore");
        await using TestServer server = await TestServer.StartAsync(
            TransportKind.Interlude,
            configure: options => options.Loops = new LoopGroupOptions { LoopCount = 1, PinThreads = false, StallThreshold = TimeSpan.FromMilliseconds(20) },
            map: app => app.MapGet("/block", () =>
            {
                // A blocking call on the loop thread, until the stall has been logged (or a generous bound).
                for (int i = 0; i < 200 && !log.Entries.Any(e => e.Event == "LoopStalled"); i++)
                {
                    Thread.Sleep(50);
                }

                return Results.Text("done");
            }),
            log: log);
        using HttpClient client = server.CreateClient();

        Assert.Equal("done", await client.GetStringAsync(new Uri("/block", UriKind.Relative)).Guarded());
        await Eventually(() => log.Entries.Any(e => e.Event == "LoopStallEnded"));

        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Event == "LoopStalled" && e.Message.Contains("no progress", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Event == "LoopStallEnded");
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (int i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the stall's end was never logged");
    }
}
