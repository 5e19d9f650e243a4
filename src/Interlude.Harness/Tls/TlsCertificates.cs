using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Interlude.Harness.Tls;

/// <summary>The benchmark's self-signed server certificates, generated in the process for each run.</summary>
public static class TlsCertificates
{
    /// <summary>An RSA-2048 key, signed with PKCS#1 v1.5 and SHA-256 (TLS 1.2) or RSA-PSS (TLS 1.3).</summary>
    public const string Rsa2048 = "rsa2048";

    /// <summary>An ECDSA key on P-256.</summary>
    public const string EcdsaP256 = "ecdsa-p256";

    /// <summary>Every certificate kind, in the order they run.</summary>
    public static IReadOnlyList<string> All { get; } = [Rsa2048, EcdsaP256];

    /// <summary>
    /// A self-signed certificate for "localhost" and 127.0.0.1 with a new key of <paramref name="kind"/>. It is
    /// exported to PKCS#12 and imported again: a certificate straight from <see cref="CertificateRequest"/> holds
    /// an ephemeral key that OpenSSL, under SslStream, cannot always use for a server.
    /// </summary>
    public static X509Certificate2 Create(string kind)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        var subject = new X500DistinguishedName("CN=localhost");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 ephemeral = kind switch
        {
            Rsa2048 => CreateRsa(subject, names, now),
            EcdsaP256 => CreateEcdsa(subject, names, now),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"The certificate must be {Rsa2048} or {EcdsaP256}."),
        };
        byte[] pfx = ephemeral.Export(X509ContentType.Pfx);
        return X509CertificateLoader.LoadPkcs12(pfx, null, X509KeyStorageFlags.Exportable);
    }

    private static X509Certificate2 CreateRsa(X500DistinguishedName subject, SubjectAlternativeNameBuilder names, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        AddServerExtensions(request, names);
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static X509Certificate2 CreateEcdsa(X500DistinguishedName subject, SubjectAlternativeNameBuilder names, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        AddServerExtensions(request, names);
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static void AddServerExtensions(CertificateRequest request, SubjectAlternativeNameBuilder names)
    {
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: false));
    }
}
