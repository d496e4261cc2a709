using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshGateway.Testing;

/// <summary>Self-signed certificates made in the test run (never checked in).</summary>
public static class TestCertificates
{
    /// <summary>
    /// A P-256 server certificate (serverAuth) for <paramref name="dnsNames"/>, valid from yesterday for a week, with its
    /// private key; the first name is its subject's CN.
    /// </summary>
    public static X509Certificate2 Create(params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in dnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
