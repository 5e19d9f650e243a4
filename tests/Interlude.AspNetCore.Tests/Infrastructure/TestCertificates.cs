using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Interlude.AspNetCore.Tests.Infrastructure;

/// <summary>Self-signed server certificates for localhost, made in-process once per test run.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> s_rsa = new(() =>
    {
        using var key = RSA.Create(2048);
        return Create(new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    });

    private static readonly Lazy<X509Certificate2> s_ecdsa = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Create(new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256));
    });

    public static X509Certificate2 Rsa => s_rsa.Value;

    public static X509Certificate2 Ecdsa => s_ecdsa.Value;

    public static X509Certificate2 For(CertificateKind kind) => kind == CertificateKind.Rsa ? Rsa : Ecdsa;

    private static X509Certificate2 Create(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        // An ephemeral key is not one OpenSSL can use for SslStream on Linux: through PKCS#12 it becomes one.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}

/// <summary>The server certificate's key.</summary>
public enum CertificateKind
{
    Rsa,
    Ecdsa,
}
