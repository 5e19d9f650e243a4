using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InferenceServer;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Interlude.InferenceServer.Tests.Infrastructure;

/// <summary>One server for a test class: Interlude transport, two loops, one device thread, batching on.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public InferenceServerHost Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = InferenceServerHost.Build(
            new InferenceServerSettings { Port = 0, Loops = 2, DeviceThreads = 1, MaxBatchSize = 32, Limits = { MaxRequestBodyBytes = 1024 * 1024 } },
            configure: builder => builder.Logging.ClearProviders());
        await Server.App.StartAsync();
        Client = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    public async Task<(int Status, JsonNode? Body)> PostJsonAsync(string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await Client.PostAsync(new Uri(path, UriKind.Relative), content);
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<JsonNode> GetJsonAsync(string path)
        => (await Client.GetFromJsonAsync<JsonNode>(new Uri(path, UriKind.Relative)))!;
}
