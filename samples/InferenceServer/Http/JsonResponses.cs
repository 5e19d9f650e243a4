using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace InferenceServer.Http;

/// <summary>JSON bodies written with <see cref="Utf8JsonWriter"/>, independent of the host's JSON options.</summary>
internal static class JsonResponses
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync<TState>(HttpContext context, int statusCode, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            write(writer, state);
        }

        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }

    /// <summary>The protocol's error body: <c>{"error": "..."}</c>.</summary>
    public static Task ErrorAsync(HttpContext context, int statusCode, string message)
        => WriteAsync(context, statusCode, message, static (w, m) =>
        {
            w.WriteStartObject();
            w.WriteString("error"u8, m);
            w.WriteEndObject();
        });
}
