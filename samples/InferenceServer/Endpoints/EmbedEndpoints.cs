using System.Text.Json;
using InferenceServer.Http;
using InferenceServer.Protocol;
using InferenceServer.Text;
using Interlude;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InferenceServer.Endpoints;

/// <summary>
/// <c>POST /embed</c> as text-embeddings-inference serves it: <c>{"inputs": "text" | ["a", "b"], "truncate": false,
/// "normalize": true}</c> answers <c>[[...], ...]</c>, one unit vector per input. Refusals are
/// <c>{"error": "...", "error_type": "..."}</c>: 413 for a body or a batch too large, 422 for an input the model
/// cannot take (over the token limit without <c>truncate</c>), 400 for malformed JSON.
/// </summary>
public static class EmbedEndpoints
{
    internal static IEndpointConventionBuilder MapEmbed(this IEndpointRouteBuilder routes, EmbeddingService service, InferenceServerOptions options)
        => routes.MapPost("/embed", (HttpContext context) => EmbedAsync(context, service, options));

    private static async Task EmbedAsync(HttpContext context, EmbeddingService service, InferenceServerOptions options)
    {
        float[][] embeddings;
        try
        {
            byte[] body = await BodyReader.ReadAsync(context.Request, options.MaxRequestBodyBytes).ConfigureAwait(false);
            (string[] texts, bool truncate) = Parse(body);
            embeddings = await service.EmbedAsync(texts, truncate, overLimitStatus: StatusCodes.Status422UnprocessableEntity, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InferenceRequestException e)
        {
            await ErrorAsync(context, e.StatusCode, e.StatusCode == 413 ? "Overloaded" : "Validation", e.Message).ConfigureAwait(false);
            return;
        }
        catch (AcceleratorOverloadedException e)
        {
            context.Response.Headers.RetryAfter = "1";
            await ErrorAsync(context, StatusCodes.Status429TooManyRequests, "Overloaded", $"The model has more work queued than it accepts; retry shortly. ({e.Message})").ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, embeddings, static (w, all) =>
        {
            w.WriteStartArray();
            foreach (float[] embedding in all)
            {
                w.WriteStartArray();
                foreach (float value in embedding)
                {
                    w.WriteNumberValue(value);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    internal static (string[] Texts, bool Truncate) Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InferenceRequestException(400, $"The body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inputs", out JsonElement inputs))
            {
                throw new InferenceRequestException(422, "The body must be an object with \"inputs\": a string or an array of strings.");
            }

            string[] texts = inputs.ValueKind switch
            {
                JsonValueKind.String => [inputs.GetString()!],
                JsonValueKind.Array => [.. inputs.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String
                    ? e.GetString()!
                    : throw new InferenceRequestException(422, "Each of \"inputs\" must be a string."))],
                _ => throw new InferenceRequestException(422, "\"inputs\" must be a string or an array of strings."),
            };
            bool truncate = Flag(root, "truncate", false);
            if (!Flag(root, "normalize", true))
            {
                throw new InferenceRequestException(422, "\"normalize\": false is not supported: this server returns mean-pooled, L2-normalized embeddings.");
            }

            return (texts, truncate);
        }
    }

    private static bool Flag(JsonElement root, string name, bool absent)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return absent;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InferenceRequestException(422, $"\"{name}\" must be true or false."),
        };
    }

    private static Task ErrorAsync(HttpContext context, int status, string type, string message)
        => JsonResponses.WriteAsync(context, status, (type, message), static (w, e) =>
        {
            w.WriteStartObject();
            w.WriteString("error"u8, e.message);
            w.WriteString("error_type"u8, e.type);
            w.WriteEndObject();
        });
}
