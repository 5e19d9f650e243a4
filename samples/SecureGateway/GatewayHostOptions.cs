using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Interlude;
using Interlude.AspNetCore;
using Interlude.Crypto;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace SecureGateway;

/// <summary>Which Kestrel transport serves the connections.</summary>
public enum GatewayTransport
{
    /// <summary>Interlude loops (<c>UseInterlude</c>).</summary>
    Interlude,

    /// <summary>Kestrel's own socket transport.</summary>
    Sockets,
}

/// <summary>Where the endpoints' crypto runs.</summary>
public enum GatewayCryptoMode
{
    /// <summary>On a <see cref="CryptoEngine"/>'s dedicated cores: one await per operation.</summary>
    Engine,

    /// <summary>On the request's own thread, with the BCL.</summary>
    Inline,
}

/// <summary>
/// How <see cref="GatewayHost"/> builds the app. <see cref="FromConfiguration"/> reads the command line's
/// <c>--crypto</c>, <c>--transport</c>, <c>--offload-handshakes</c>, ... (see the README); code may then change
/// anything, as the tests do.
/// </summary>
public sealed class GatewayHostOptions
{
    /// <summary>Defaults to <see cref="GatewayTransport.Interlude"/>.</summary>
    public GatewayTransport Transport { get; set; } = GatewayTransport.Interlude;

    /// <summary>Defaults to <see cref="GatewayCryptoMode.Engine"/>.</summary>
    public GatewayCryptoMode Crypto { get; set; } = GatewayCryptoMode.Engine;

    /// <summary>
    /// Whether the TLS handshakes' CPU-heavy steps run on the crypto engine
    /// (<see cref="InterludeTransportOptions.OffloadTlsHandshakes"/>); needs the Interlude transport. The engine is
    /// created for it even with inline endpoint crypto.
    /// </summary>
    public bool OffloadHandshakes { get; set; }

    /// <summary>How a loop waits for an offloaded handshake step. Defaults to <see cref="TlsHandshakeOffloadMode.Async"/>.</summary>
    public TlsHandshakeOffloadMode HandshakeMode { get; set; } = TlsHandshakeOffloadMode.Async;

    /// <summary>The address to listen on. Defaults to 127.0.0.1.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>The HTTPS port; 0 picks a free one (read it from <see cref="GatewayHost.BaseAddress"/>). Defaults to 5443.</summary>
    public int Port { get; set; } = 5443;

    /// <summary>The server certificate; null loads <see cref="CertificatePath"/> or generates a self-signed one.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>A PKCS#12 or PEM certificate file to serve, when <see cref="Certificate"/> is null.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PKCS#12 file's password.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>, when not in the same file.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The key of a generated self-signed certificate. Defaults to <see cref="CertificateKeyType.EcdsaP256"/>.</summary>
    public CertificateKeyType SelfSignedKeyType { get; set; } = CertificateKeyType.EcdsaP256;

    /// <summary>The keys; null loads them from the <c>Gateway</c> configuration section (generating those not configured).</summary>
    public GatewayKeys? Keys { get; set; }

    /// <summary>The endpoints' limits, issuer and clock.</summary>
    public GatewayOptions Gateway { get; set; } = new();

    /// <summary>The crypto engine's threads and cores. Defaults to one unpinned thread.</summary>
    public CryptoEngineOptions Engine { get; set; } = new() { Threads = 1 };

    /// <summary>Changes the Interlude transport's options (loops, wait strategy, ...) after the host has set its own.</summary>
    public Action<InterludeTransportOptions>? ConfigureTransport { get; set; }

    /// <summary>Changes the builder before the app is built (logging, services, ...).</summary>
    public Action<WebApplicationBuilder>? ConfigureBuilder { get; set; }

    /// <summary>The options the command line and configuration ask for; what they do not name keeps its default.</summary>
    public static GatewayHostOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new GatewayHostOptions
        {
            Transport = ParseEnum(configuration["transport"], GatewayTransport.Interlude, "transport", "interlude", "sockets"),
            Crypto = ParseEnum(configuration["crypto"], GatewayCryptoMode.Engine, "crypto", "engine", "inline"),
            OffloadHandshakes = configuration.GetValue("offload-handshakes", false),
            HandshakeMode = ParseEnum(configuration["handshake-mode"], TlsHandshakeOffloadMode.Async, "handshake-mode", "async", "block", "spin"),
            Port = configuration.GetValue("port", 5443),
            CertificatePath = configuration["cert"],
            CertificatePassword = configuration["cert-password"],
            CertificateKeyPath = configuration["cert-key"],
            SelfSignedKeyType = configuration["cert-type"]?.ToLowerInvariant() switch
            {
                null or "" or "ecdsa" => CertificateKeyType.EcdsaP256,
                "rsa" => CertificateKeyType.Rsa2048,
                string other => throw new FormatException($"Unknown --cert-type '{other}': use ecdsa or rsa."),
            },
            Gateway = GatewayOptions.FromConfiguration(configuration.GetSection("Gateway")),
        };

        if (configuration["address"] is { Length: > 0 } address)
        {
            options.Address = address == "*" ? IPAddress.Any : IPAddress.Parse(address);
        }

        options.Engine.Threads = configuration.GetValue("engine-threads", 1);
        if (configuration["engine-cores"] is { Length: > 0 } cores)
        {
            options.Engine.Cores = ParseCores(cores);
        }

        int loops = configuration.GetValue("loops", 0);
        string? loopCores = configuration["loop-cores"];
        if (loops > 0 || !string.IsNullOrEmpty(loopCores))
        {
            options.ConfigureTransport = transport =>
            {
                if (loops > 0)
                {
                    transport.Loops.LoopCount = loops;
                }

                if (!string.IsNullOrEmpty(loopCores))
                {
                    transport.Loops.Cores = ParseCores(loopCores);
                }
            };
        }

        return options;
    }

    /// <summary>
    /// The command line with each bare boolean switch (<c>--offload-handshakes</c> followed by another switch or
    /// by nothing) given the value true, as the configuration's command-line provider needs a value for each.
    /// </summary>
    public static string[] NormalizeSwitches(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            bool bare = args[i] == "--offload-handshakes" && (i + 1 == args.Length || args[i + 1].StartsWith('-'));
            result.Add(bare ? args[i] + "=true" : args[i]);
        }

        return [.. result];
    }

    internal static IReadOnlyList<int> ParseCores(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(core => int.Parse(core, CultureInfo.InvariantCulture))];

    private static T ParseEnum<T>(string? text, T fallback, string name, params string[] allowed)
        where T : struct, Enum
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (!allowed.Contains(text, StringComparer.OrdinalIgnoreCase) || !Enum.TryParse(text, ignoreCase: true, out T value))
        {
            throw new FormatException($"Unknown --{name} '{text}': use {string.Join(" or ", allowed)}.");
        }

        return value;
    }
}
