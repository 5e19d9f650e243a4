using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Interlude.Talk.Tests.Engines.Fakes;

/// <summary>
/// An OpenAI-compatible chat-completions endpoint on a free localhost port (HttpListener): it records each request's
/// path, Authorization header and body, and answers with a chat completion of <see cref="Answer"/>, or with
/// <see cref="Status"/> when that is not 200, after <see cref="Delay"/>.
/// </summary>
internal sealed class RecordingChatServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public RecordingChatServer()
    {
        int port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/v1/");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri BaseAddress { get; }

    // Set by the test before the call, read by the serving task.
    public volatile string Answer = "ok";
    public volatile int Status = 200;
    public volatile string FinishReason = "stop";
    public TimeSpan Delay { get; set; }

    /// <summary>What each request carried, in arrival order (written by the serving task).</summary>
    public ConcurrentQueue<(string Path, string? Authorization, string Body)> Requests { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept.
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string body = await reader.ReadToEndAsync().ConfigureAwait(false);
            Requests.Enqueue((context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], body));
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, _stop.Token).ConfigureAwait(false);
            }

            context.Response.StatusCode = Status;
            context.Response.ContentType = "application/json";
            string json = Status == 200
                ? JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-test",
                    @object = "chat.completion",
                    created = 1_700_000_000,
                    model = "test-model",
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = Answer }, finish_reason = FinishReason } },
                    usage = new { prompt_tokens = 10, completion_tokens = 5, total_tokens = 15 },
                })
                : JsonSerializer.Serialize(new { error = new { message = "the server broke", type = "server_error" } });
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            await context.Response.OutputStream.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // The test finished (or the client gave up) first.
        }
    }
}
