using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Interlude.Gateway.Tests.Infrastructure;

/// <summary>Takes compact JWS tokens apart and puts (tampered) ones together, independently of the gateway's code.</summary>
internal static class Jwt
{
    public static string[] Split(string token)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw new FormatException($"Not a compact JWS: {token}");
        }

        return parts;
    }

    public static JsonObject Header(string token) => Json(Split(token)[0]);

    public static JsonObject Payload(string token) => Json(Split(token)[1]);

    public static byte[] Signature(string token) => Base64Url.DecodeFromChars(Split(token)[2]);

    public static byte[] SigningInput(string token)
    {
        string[] parts = Split(token);
        return Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
    }

    public static string Encode(JsonNode json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));

    public static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>The token with its header or payload replaced and its signature kept.</summary>
    public static string With(string token, JsonObject? header = null, JsonObject? payload = null, byte[]? signature = null)
    {
        string[] parts = Split(token);
        return string.Join('.',
            header is null ? parts[0] : Encode(header),
            payload is null ? parts[1] : Encode(payload),
            signature is null ? parts[2] : Encode(signature));
    }

    /// <summary>An ES256 token with this header and payload, signed by <paramref name="key"/> (IEEE P1363).</summary>
    public static string Sign(JsonObject header, JsonObject payload, ECDsa key)
    {
        string input = Encode(header) + "." + Encode(payload);
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Encode(signature);
    }

    private static JsonObject Json(string segment) => JsonNode.Parse(Base64Url.DecodeFromChars(segment))!.AsObject();
}

/// <summary>Reading JSON answers.</summary>
internal static class JsonAnswers
{
    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync().Guarded();
        try
        {
            return JsonNode.Parse(text)!.AsObject();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Not a JSON object ({(int)response.StatusCode}): {text}", e);
        }
    }
}
