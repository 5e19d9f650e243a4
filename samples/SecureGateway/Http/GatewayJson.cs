using System.Text.Json.Serialization;

namespace SecureGateway.Http;

/// <summary>The body of <c>POST /tokens</c>.</summary>
internal sealed class TokenRequest
{
    public string? Sub { get; set; }

    public string? Scope { get; set; }

    public int? TtlSeconds { get; set; }
}

/// <summary>The body of <c>POST /tokens/verify</c>.</summary>
internal sealed class VerifyRequest
{
    public string? Token { get; set; }
}

/// <summary>The JSON body of <c>POST /seal</c> (the other is the raw bytes).</summary>
internal sealed class SealRequest
{
    public string? Data { get; set; }
}

/// <summary>A sealed envelope: what <c>POST /seal</c> answers and <c>POST /open</c> takes.</summary>
internal sealed class Envelope
{
    public string? Kid { get; set; }

    public string? Alg { get; set; }

    public string? Nonce { get; set; }

    public string? Ciphertext { get; set; }

    public string? Tag { get; set; }
}

/// <summary>Source-generated parsers for the request bodies: camelCase names, matched case-insensitively.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(VerifyRequest))]
[JsonSerializable(typeof(SealRequest))]
[JsonSerializable(typeof(Envelope))]
internal sealed partial class GatewayJson : JsonSerializerContext
{
}
