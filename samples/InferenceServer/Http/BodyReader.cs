using System.Buffers;
using System.IO.Pipelines;
using InferenceServer.Protocol;
using Microsoft.AspNetCore.Http;

namespace InferenceServer.Http;

/// <summary>Reads a request body whole, up to a limit; over it, or unreadable, is an <see cref="InferenceRequestException"/>.</summary>
internal static class BodyReader
{
    public static async ValueTask<byte[]> ReadAsync(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit)
        {
            throw new InferenceRequestException(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limit} bytes.");
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
                    throw new InferenceRequestException(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limit} bytes.");
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    byte[] body = buffer.ToArray();
                    reader.AdvanceTo(buffer.End);
                    return body;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (BadHttpRequestException e)
        {
            throw new InferenceRequestException(e.StatusCode, $"The body could not be read: {e.Message}", e);
        }
    }
}
