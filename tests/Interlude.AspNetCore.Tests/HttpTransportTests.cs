using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Interlude.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace Interlude.AspNetCore.Tests;

/// <summary>
/// One HTTP suite, run against Kestrel's socket transport (<see cref="SocketsTransportHttpTests"/>) and against
/// Interlude with its shipped options (<see cref="InterludeTransportHttpTests"/>) and with each wait strategy:
/// the application and the tests are the same, only the transport differs. Every test also fails if anything
/// was logged at error level (see <see cref="TestServer"/>).
/// </summary>
public abstract class HttpTransportTests
{
    protected abstract TransportKind Transport { get; }

    /// <summary>The Interlude transport's options; null keeps the shipped defaults.</summary>
    protected virtual Action<InterludeTransportOptions>? Configure => null;

    [Fact]
    public async Task AGetIsAnsweredWithThePlaintextBody()
    {
        await using TestServer server = await StartAsync();
        using HttpClient client = server.CreateClient();

        using HttpResponseMessage response = await client.GetAsync(new Uri("/plaintext", UriKind.Relative)).Guarded();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync().Guarded());
    }

    [Fact]
    public async Task ALargePostBodyIsEchoedWhole()
    {
        await using TestServer server = await StartAsync();
        using HttpClient client = server.CreateClient();
        // Larger than the transport's 1 MiB read buffer limit, so the upload pauses and resumes.
        byte[] body = new byte[(3 * 1024 * 1024 / 2) + 17];
        new Random(1).NextBytes(body);

        using HttpResponseMessage response = await client.PostAsync(new Uri("/echo", UriKind.Relative), new ByteArrayContent(body)).Guarded();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync().Guarded());
    }

    [Fact]
    public async Task AChunkedRequestBodyIsEchoed()
    {
        await using TestServer server = await StartAsync();
        using HttpClient client = server.CreateClient();
        byte[] body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("chunk of a streamed body;", 5000)));
        var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/echo", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using HttpResponseMessage response = await client.SendAsync(request).Guarded();

        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync().Guarded());
    }

    [Fact]
    public async Task AChunkedResponseArrivesInOrder()
    {
        await using TestServer server = await StartAsync();
        using RawHttpConnection connection = await RawHttpConnection.ConnectAsync(server.EndPoint);

        await connection.SendAsync("GET /chunked?count=40&size=1000 HTTP/1.1\r\nHost: test\r\n\r\n");
        RawHttpResponse response = await connection.ReadResponseAsync().Guarded();

        Assert.Equal(200, response.Status);
        Assert.Equal("chunked", response.Headers["Transfer-Encoding"]);
        Assert.Equal(40 * 1000, response.Body.Length);
        for (int i = 0; i < 40; i++)
        {
            Assert.All(response.Body.AsSpan(i * 1000, 1000).ToArray(), b => Assert.Equal((byte)('a' + (i % 26)), b));
        }
    }

    [Fact]
    public async Task ALargeResponseArrivesWhole()
    {
        // Far more than the 64 KiB write buffer limit and the kernel's socket buffers hold.
        const int bytes = (2 * 1024 * 1024) + 3;
        await using TestServer server = await StartAsync();
        using HttpClient client = server.CreateClient();

        byte[] body = await client.GetByteArrayAsync(new Uri($"/large?bytes={bytes}", UriKind.Relative)).Guarded();

        Assert.Equal(bytes, body.Length);
        for (int i = 0; i < body.Length; i += 4099)
        {
            Assert.Equal((byte)(i % (64 * 1024)), body[i]);
        }
    }

    [Fact]
    public async Task PipelinedRequestsAreAnsweredInOrder()
    {
        const int count = 100;
        await using TestServer server = await StartAsync();
        using RawHttpConnection connection = await RawHttpConnection.ConnectAsync(server.EndPoint);
        var requests = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            requests.Append("GET /seq/").Append(i).Append(" HTTP/1.1\r\nHost: test\r\n\r\n");
        }

        await connection.SendAsync(requests.ToString());

        for (int i = 0; i < count; i++)
        {
            RawHttpResponse response = await connection.ReadResponseAsync().Guarded();
            Assert.Equal(200, response.Status);
            Assert.Equal($"{i}", response.BodyText);
        }
    }

    [Fact]
    public async Task AKeepAliveConnectionServesSeveralRequestsAndCloseEndsIt()
    {
        await using TestServer server = await StartAsync();
        using RawHttpConnection connection = await RawHttpConnection.ConnectAsync(server.EndPoint);

        for (int i = 0; i < 5; i++)
        {
            await connection.SendAsync("GET /plaintext HTTP/1.1\r\nHost: test\r\n\r\n");
            RawHttpResponse response = await connection.ReadResponseAsync().Guarded();
            Assert.Equal("Hello, World!", response.BodyText);
        }

        await connection.SendAsync("GET /plaintext HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        RawHttpResponse last = await connection.ReadResponseAsync().Guarded();

        Assert.Equal("Hello, World!", last.BodyText);
        Assert.Equal("close", last.Headers["Connection"]);
        Assert.True(await connection.IsClosedByServerAsync().Guarded());
    }

    [Fact]
    public async Task ManyConcurrentConnectionsAreAllServed()
    {
        const int connections = 64;
        const int requestsEach = 10;
        await using TestServer server = await StartAsync();

        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            using RawHttpConnection connection = await RawHttpConnection.ConnectAsync(server.EndPoint);
            for (int i = 0; i < requestsEach; i++)
            {
                int n = (c * requestsEach) + i;
                await connection.SendAsync($"GET /seq/{n} HTTP/1.1\r\nHost: test\r\n\r\n");
                RawHttpResponse response = await connection.ReadResponseAsync();
                Assert.Equal($"{n}", response.BodyText);
            }
        })).Guarded();
    }

    [Fact]
    public async Task AClientThatClosesItsConnectionAbortsTheRequestItWasWaitingFor()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TestServer server = await StartAsync(map: app => app.MapGet("/wait", async (Microsoft.AspNetCore.Http.HttpContext context) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult();
            }

            return "never read";
        }));
        var connection = await RawHttpConnection.ConnectAsync(server.EndPoint).Guarded();
        await connection.SendAsync("GET /wait HTTP/1.1\r\nHost: test\r\n\r\n").Guarded();
        await started.Task.Guarded();

        connection.Dispose();

        await aborted.Task.Guarded();

        // Stopping the server fails the test if the departed client was logged at error level.
        await server.DisposeAsync();
    }

    [Fact]
    public async Task AClientAbortingMidRequestLeavesTheServerServing()
    {
        await using TestServer server = await StartAsync();
        using (RawHttpConnection aborting = await RawHttpConnection.ConnectAsync(server.EndPoint))
        {
            await aborting.SendAsync("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 1000000\r\n\r\n");
            await aborting.SendAsync(new byte[10_000]);
            await server.Endpoints.UploadStarted.Task.Guarded();
            aborting.Reset();
        }

        Exception failure = await server.Endpoints.UploadFailed.Task.Guarded();
        Assert.IsAssignableFrom<IOException>(failure);

        using HttpClient client = server.CreateClient();
        Assert.Equal("Hello, World!", await client.GetStringAsync(new Uri("/plaintext", UriKind.Relative)).Guarded());

        // Stopping the server fails the test if the aborted upload was logged at error level.
        await server.DisposeAsync();
    }

    [Fact]
    public async Task AClientThatResetsMidResponseEndsItsRequestWithoutAnApplicationError()
    {
        await using TestServer server = await StartAsync();
        using (RawHttpConnection leaving = await RawHttpConnection.ConnectAsync(server.EndPoint))
        {
            await leaving.SendAsync("GET /stream HTTP/1.1\r\nHost: test\r\n\r\n");
            await leaving.ReadAtLeastAsync(64 * 1024).Guarded();
            leaving.Reset();
        }

        await server.Endpoints.StreamEnded.Task.Guarded();
        using HttpClient client = server.CreateClient();
        Assert.Equal("Hello, World!", await client.GetStringAsync(new Uri("/plaintext", UriKind.Relative)).Guarded());

        // Stopping the server fails the test if the departed client was logged at error level.
        await server.DisposeAsync();
    }

    [Fact]
    public async Task AMalformedRequestIsAnswered400AndTheServerKeepsServing()
    {
        await using TestServer server = await StartAsync();
        using (RawHttpConnection bad = await RawHttpConnection.ConnectAsync(server.EndPoint))
        {
            await bad.SendAsync("GET /plaintext HTTP/1.1\r\nHost: test\r\nThis header has no colon\r\n\r\n");
            RawHttpResponse response = await bad.ReadResponseAsync().Guarded();
            Assert.Equal(400, response.Status);
            Assert.True(await bad.IsClosedByServerAsync().Guarded());
        }

        using RawHttpConnection good = await RawHttpConnection.ConnectAsync(server.EndPoint);
        await good.SendAsync("GET /plaintext HTTP/1.1\r\nHost: test\r\n\r\n");
        Assert.Equal("Hello, World!", (await good.ReadResponseAsync().Guarded()).BodyText);
    }

    [Fact]
    public async Task AnAbortFromAnotherThreadClosesOnlyThatConnection()
    {
        await using TestServer server = await StartAsync();
        using RawHttpConnection other = await RawHttpConnection.ConnectAsync(server.EndPoint);
        using (RawHttpConnection aborted = await RawHttpConnection.ConnectAsync(server.EndPoint))
        {
            await aborted.SendAsync("GET /abort HTTP/1.1\r\nHost: test\r\n\r\n");
            // Closed by the server (end of stream) or reset: either way no complete response arrives.
            Exception closed = await Assert.ThrowsAnyAsync<Exception>(() => aborted.ReadResponseAsync().Guarded());
            Assert.True(closed is IOException or SocketException, closed.ToString());
        }

        await other.SendAsync("GET /plaintext HTTP/1.1\r\nHost: test\r\n\r\n");
        Assert.Equal("Hello, World!", (await other.ReadResponseAsync().Guarded()).BodyText);

        // Stopping the server fails the test if the abort was logged at error level.
        await server.DisposeAsync();
    }

    [Fact]
    public async Task HandlersRunWhereTheTransportSchedulesThem()
    {
        await using TestServer server = await StartAsync();
        using HttpClient client = server.CreateClient();

        string where = await client.GetStringAsync(new Uri("/where", UriKind.Relative)).Guarded();

        Assert.Equal(Transport == TransportKind.Interlude ? "loop" : "thread pool", where);
    }

    private Task<TestServer> StartAsync(Action<WebApplication>? map = null) => TestServer.StartAsync(Transport, Configure, map);
}
