using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Interlude.AspNetCore.Tests.Infrastructure;

/// <summary>The handlers every transport test talks to, and what they observed.</summary>
internal sealed class TestEndpoints
{
    /// <summary>Completed when the /upload handler starts reading its body.</summary>
    public TaskCompletionSource UploadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when the /upload handler fails reading a body its client abandoned.</summary>
    public TaskCompletionSource<Exception> UploadFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when the /stream handler stops writing (its client went away).</summary>
    public TaskCompletionSource StreamEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Map(WebApplication app)
    {
        app.MapGet("/plaintext", () => Results.Text("Hello, World!", "text/plain"));

        app.MapGet("/where", () => Loop.Current is null ? "thread pool" : "loop");

        app.MapGet("/loop", () => Loop.Current is { } loop ? loop.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none");

        app.MapGet("/seq/{n:int}", async (int n) =>
        {
            // Later requests finish sooner, so an answer out of order would show.
            await Task.Delay(n % 4 == 0 ? 3 : 0);
            return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });

        app.MapGet("/abort", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("partial");
            await context.Response.Body.FlushAsync();
            await Task.Run(context.Abort);
        });

        app.MapPost("/echo", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Request.Body.CopyToAsync(context.Response.Body);
        });

        app.MapGet("/chunked", async (HttpContext context, int count, int size) =>
        {
            byte[] chunk = new byte[size];
            for (int i = 0; i < count; i++)
            {
                chunk.AsSpan().Fill((byte)('a' + (i % 26)));
                await context.Response.Body.WriteAsync(chunk);
                await context.Response.Body.FlushAsync();
            }
        });

        app.MapGet("/large", async (HttpContext context, int bytes) =>
        {
            context.Response.ContentLength = bytes;
            byte[] block = new byte[64 * 1024];
            for (int i = 0; i < block.Length; i++)
            {
                block[i] = (byte)i;
            }

            for (int sent = 0; sent < bytes; sent += block.Length)
            {
                await context.Response.Body.WriteAsync(block.AsMemory(0, Math.Min(block.Length, bytes - sent)));
            }
        });

        app.MapGet("/stream", async (HttpContext context) =>
        {
            // Writes until the client goes away; how a write to a departed client ends is the transport's business,
            // so the handler neither catches nor passes a token. The bound only keeps a broken transport from
            // streaming forever.
            byte[] block = new byte[16 * 1024];
            try
            {
                for (int i = 0; i < 64 * 1024 && !context.RequestAborted.IsCancellationRequested; i++)
                {
                    await context.Response.Body.WriteAsync(block);
                }
            }
            finally
            {
                StreamEnded.TrySetResult();
            }
        });

        // An app that handles the failure of a body its client abandoned, and one that lets it escape; Kestrel
        // logs the escaped one as an application error unless it already knows the connection was aborted.
        app.MapPost("/upload", async (HttpContext context) =>
        {
            try
            {
                return Results.Text(await ReadBodyAsync(context));
            }
            catch (Exception ex)
            {
                // Handled: the connection is gone, so the request ends there (no response, no draining the body).
                UploadFailed.TrySetResult(ex);
                context.Abort();
                return Results.Empty;
            }
        });

        app.MapPost("/upload-unhandled", async (HttpContext context) =>
        {
            try
            {
                return Results.Text(await ReadBodyAsync(context));
            }
            catch (Exception ex)
            {
                UploadFailed.TrySetResult(ex);
                throw;
            }
        });
    }

    private async Task<string> ReadBodyAsync(HttpContext context)
    {
        UploadStarted.TrySetResult();
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = await context.Request.Body.ReadAsync(buffer)) > 0)
        {
            total += n;
        }

        return total.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
