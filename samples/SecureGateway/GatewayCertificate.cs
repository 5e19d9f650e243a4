using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureGateway;

/// <summary>The key type of a generated self-signed certificate.</summary>
public enum CertificateKeyType
{
    /// <summary>ECDSA on P-256: the handshake signs with ECDSA (the usual choice today).</summary>
    EcdsaP256,

    /// <summary>RSA 2048: the handshake signs with RSA-PSS, several times the CPU of ECDSA.</summary>
    Rsa2048,
}

/// <summary>The HTTPS certificate: loaded from files, or a self-signed one generated at start.</summary>
public static class GatewayCertificate
{
    /// <summary>
    /// A self-signed server certificate for localhost, 127.0.0.1 and ::1, valid from a day ago for 30 days, with
    /// its private key. Clients must trust it explicitly (curl -k, or pin it).
    /// </summary>
    public static X509Certificate2 CreateSelfSigned(CertificateKeyType keyType = CertificateKeyType.EcdsaP256, string subjectName = "localhost")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectName);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(subjectName);
        if (subjectName != "localhost")
        {
            names.AddDnsName("localhost");
        }

        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);

        using AsymmetricAlgorithm key = keyType == CertificateKeyType.Rsa2048 ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = key is RSA rsa
            ? new CertificateRequest($"CN={subjectName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={subjectName}", (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            key is RSA ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature,
            critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));

        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        // A round trip through PKCS#12 gives a certificate whose key every platform's TLS stack can use.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>
    /// Loads <paramref name="path"/>: a PKCS#12 file (.pfx, .p12) with <paramref name="password"/>, or a PEM
    /// certificate with its PEM private key in <paramref name="keyPath"/> (or in the same file when null).
    /// </summary>
    public static X509Certificate2 Load(string path, string? password = null, string? keyPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }

        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(path, keyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }
}
