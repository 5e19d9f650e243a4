using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SecureGateway.Http;

/// <summary>
/// The gateway's responses, written with <see cref="Utf8JsonWriter"/>: they depend on no JSON options of the
/// host application, so the endpoints behave the same on any <c>WebApplication</c> they are mapped onto.
/// </summary>
internal static class Responses
{
    /// <summary>A JSON body written by <paramref name="write"/>.</summary>
    public static IResult Json<TState>(TState state, Action<Utf8JsonWriter, TState> write, int statusCode = StatusCodes.Status200OK, bool noStore = false)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, state);
        }

        return new BytesResult(buffer.WrittenMemory, "application/json", statusCode, noStore, null);
    }

    /// <summary>Bytes as they are.</summary>
    public static IResult Bytes(ReadOnlyMemory<byte> body, string contentType, bool noStore = false)
        => new BytesResult(body, contentType, StatusCodes.Status200OK, noStore, null);

    /// <summary>
    /// An RFC 9457 problem (<c>application/problem+json</c>) with a machine-readable <paramref name="reason"/>
    /// beside the human-readable <paramref name="detail"/>.
    /// </summary>
    public static IResult Problem(int statusCode, string title, string reason, string detail, Action<HttpResponse>? headers = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        // Problem text is never embedded in HTML: apostrophes and quotes may stay as they are.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, TypeOf(statusCode));
            writer.WriteString("title"u8, title);
            writer.WriteNumber("status"u8, statusCode);
            writer.WriteString("detail"u8, detail);
            writer.WriteString("reason"u8, reason);
            writer.WriteEndObject();
        }

        return new BytesResult(buffer.WrittenMemory, "application/problem+json", statusCode, noStore: true, headers);
    }

    public static IResult BadRequest(string reason, string detail) => Problem(StatusCodes.Status400BadRequest, "Bad request", reason, detail);

    public static IResult TooLarge(string detail) => Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", "too_large", detail);

    private static string TypeOf(int statusCode) => statusCode switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "about:blank",
    };

    private sealed class BytesResult : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
    {
        private readonly ReadOnlyMemory<byte> _body;
        private readonly bool _noStore;
        private readonly Action<HttpResponse>? _headers;

        public BytesResult(ReadOnlyMemory<byte> body, string contentType, int statusCode, bool noStore, Action<HttpResponse>? headers)
        {
            _body = body;
            ContentType = contentType;
            StatusCode = statusCode;
            _noStore = noStore;
            _headers = headers;
        }

        public int? StatusCode { get; }

        public string ContentType { get; }

        public Task ExecuteAsync(HttpContext httpContext)
        {
            HttpResponse response = httpContext.Response;
            response.StatusCode = StatusCode!.Value;
            response.ContentType = ContentType;
            response.ContentLength = _body.Length;
            if (_noStore)
            {
                response.Headers.CacheControl = "no-store";
            }

            _headers?.Invoke(response);
            return response.Body.WriteAsync(_body).AsTask();
        }
    }
}
