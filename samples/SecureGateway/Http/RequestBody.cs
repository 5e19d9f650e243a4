using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace SecureGateway.Http;

/// <summary>
/// Reads a request body whole, up to a limit, and parses JSON bodies into the gateway's request types: any
/// failure is a 4xx problem (<see cref="Failure"/>), never an exception for the host to turn into a 500.
/// </summary>
internal static class RequestBody
{
    /// <summary>
    /// The body's bytes, or null with <paramref name="failure"/> set: 413 when it is larger than
    /// <paramref name="limit"/> (by its Content-Length, or as it arrives), or Kestrel's own 4xx for a request
    /// it could not read (a malformed chunked body, a client that sent less than its Content-Length).
    /// </summary>
    public static async ValueTask<(byte[]? Body, IResult? Failure)> ReadAsync(HttpRequest request, long limit, string what)
    {
        if (request.ContentLength > limit)
        {
            return (null, Responses.TooLarge($"The {what} is larger than {limit} bytes."));
        }

        PipeReader reader = request.BodyReader;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                if (buffer.Length > limit)
                {
                    reader.AdvanceTo(buffer.End);
                    return (null, Responses.TooLarge($"The {what} is larger than {limit} bytes."));
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    byte[] body = buffer.ToArray();
                    reader.AdvanceTo(buffer.End);
                    return (body, null);
                }

                // Nothing consumed, everything examined: the next read returns when more has arrived.
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (BadHttpRequestException e)
        {
            return (null, Responses.Problem(e.StatusCode, "Bad request", "unreadable_body", e.Message));
        }
    }

    /// <summary>
    /// Parses <paramref name="body"/> as one JSON object of type <typeparamref name="T"/>; a syntax error, a value
    /// of the wrong type, or anything but an object is a 400 problem naming where it went wrong.
    /// </summary>
    public static bool TryParse<T>(byte[] body, JsonTypeInfo<T> typeInfo, out T? value, out IResult? failure)
        where T : class
    {
        value = null;
        failure = null;
        ReadOnlySpan<byte> json = body;
        json = json.TrimStart(" \t\r\n"u8);
        if (json.IsEmpty || json[0] != (byte)'{')
        {
            failure = Responses.BadRequest("malformed_json", "The body must be a JSON object.");
            return false;
        }

        try
        {
            value = JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-8.
            failure = Responses.BadRequest("malformed_json", "The body is not valid UTF-8 JSON.");
            return false;
        }
        catch (JsonException e)
        {
            string where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
            failure = Responses.BadRequest("malformed_json", $"The body is not valid JSON for this request{where}: a syntax error or a value of the wrong type.");
            return false;
        }

        if (value is null)
        {
            failure = Responses.BadRequest("malformed_json", "The body must be a JSON object.");
            return false;
        }

        return true;
    }
}
