using System.Security.Authentication;

namespace Interlude.Harness.Tls;

/// <summary>One of the certificate and protocol combinations every mode is measured with.</summary>
/// <param name="Certificate">"rsa2048" or "ecdsa-p256" (<see cref="TlsCertificates"/>).</param>
/// <param name="TlsVersion">"1.3" or "1.2": the only version the server accepts in this configuration.</param>
public sealed record TlsConfiguration(string Certificate, string TlsVersion)
{
    /// <summary>The TLS versions measured.</summary>
    public static IReadOnlyList<string> Versions { get; } = ["1.3", "1.2"];

    /// <summary>How the configuration reads in tables and file names, for example "ecdsa-p256/tls1.3".</summary>
    public string Name => $"{Certificate}/tls{TlsVersion}";

    /// <summary>
    /// The server's protocols: h2load has no option to choose the version, so the server offers only one and the
    /// client, which offers both, negotiates it.
    /// </summary>
    public SslProtocols Protocols => TlsVersion switch
    {
        "1.3" => SslProtocols.Tls13,
        "1.2" => SslProtocols.Tls12,
        _ => throw new ArgumentOutOfRangeException(nameof(TlsVersion), TlsVersion, "The TLS version must be 1.3 or 1.2."),
    };

    /// <summary>Every combination of <paramref name="certificates"/> and <paramref name="versions"/>, certificates outermost.</summary>
    public static IReadOnlyList<TlsConfiguration> All(IEnumerable<string> certificates, IEnumerable<string> versions)
        => certificates.SelectMany(c => versions.Select(v => new TlsConfiguration(c, v))).ToList();
}
