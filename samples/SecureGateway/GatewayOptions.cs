using Microsoft.Extensions.Configuration;

namespace SecureGateway;

/// <summary>What the endpoints accept and issue. Bound from the <c>Gateway</c> configuration section.</summary>
public sealed class GatewayOptions
{
    /// <summary>The tokens' <c>iss</c>; a token with another issuer is refused.</summary>
    /// <remarks>Defaults to "securegateway".</remarks>
    public string Issuer { get; set; } = "securegateway";

    /// <summary>The largest payload <c>/seal</c> seals and <c>/open</c> opens, in bytes; larger gets 413.</summary>
    /// <remarks>Defaults to 64 KiB.</remarks>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>The longest <c>ttlSeconds</c> a token may ask for.</summary>
    /// <remarks>Defaults to 24 hours.</remarks>
    public int MaxTokenLifetimeSeconds { get; set; } = 24 * 60 * 60;

    /// <summary>The token lifetime when the request gives no <c>ttlSeconds</c>.</summary>
    /// <remarks>Defaults to 1 hour.</remarks>
    public int DefaultTokenLifetimeSeconds { get; set; } = 60 * 60;

    /// <summary>The tolerance on <c>exp</c> and <c>nbf</c> for clocks that disagree.</summary>
    /// <remarks>Defaults to 30 seconds.</remarks>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock tokens are issued and checked by (a test moves it).</summary>
    /// <remarks>Defaults to <see cref="TimeProvider.System"/>.</remarks>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The options with the <c>Gateway</c> section's values (Issuer, MaxPayloadBytes, ...) over the defaults.</summary>
    public static GatewayOptions FromConfiguration(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = new GatewayOptions();
        options.Issuer = section["Issuer"] ?? options.Issuer;
        options.MaxPayloadBytes = section.GetValue(nameof(MaxPayloadBytes), options.MaxPayloadBytes);
        options.MaxTokenLifetimeSeconds = section.GetValue(nameof(MaxTokenLifetimeSeconds), options.MaxTokenLifetimeSeconds);
        options.DefaultTokenLifetimeSeconds = section.GetValue(nameof(DefaultTokenLifetimeSeconds), options.DefaultTokenLifetimeSeconds);
        options.ClockSkew = section.GetValue(nameof(ClockSkew), options.ClockSkew);
        return options;
    }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Issuer, nameof(Issuer));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        // 16 MiB: the JSON form of a payload (base64) must still fit an int-sized buffer with room to spare.
        ArgumentOutOfRangeException.ThrowIfNegative(MaxPayloadBytes, nameof(MaxPayloadBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxPayloadBytes, 16 * 1024 * 1024, nameof(MaxPayloadBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokenLifetimeSeconds, 1, nameof(MaxTokenLifetimeSeconds));
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultTokenLifetimeSeconds, 1, nameof(DefaultTokenLifetimeSeconds));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DefaultTokenLifetimeSeconds, MaxTokenLifetimeSeconds, nameof(DefaultTokenLifetimeSeconds));
        ArgumentOutOfRangeException.ThrowIfLessThan(ClockSkew, TimeSpan.Zero, nameof(ClockSkew));
    }
}
