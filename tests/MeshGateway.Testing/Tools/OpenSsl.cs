using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace MeshGateway.Testing;

/// <summary>The openssl command-line tool as a real, independent TLS peer (found on PATH; installed by .ci/run).</summary>
public static class OpenSsl
{
    /// <summary>Skips the calling test when openssl is not on PATH (fails it under CI); see <see cref="ExternalTool"/>.</summary>
    public static void Require() => ExternalTool.Require("openssl");

    /// <summary>Starts <c>openssl</c> with <paramref name="args"/>, every stream redirected (skips or fails as <see cref="Require"/>).</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(ExternalTool.Require("openssl"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Writes the certificate and its key as PEM files in a fresh directory; returns (cert, key).</summary>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate)
    {
        string directory = Directory.CreateTempSubdirectory("meshgw-openssl-").FullName;
        string cert = Path.Combine(directory, "cert.pem");
        string key = Path.Combine(directory, "key.pem");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        using var ecdsa = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(key, ecdsa.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    /// <summary>Reads a stream until a line containing <paramref name="marker"/> appears; returns everything read.</summary>
    public static async Task<string> ReadUntilAsync(StreamReader reader, string marker)
    {
        var seen = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is string line)
        {
            seen.AppendLine(line);
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return seen.ToString();
            }
        }

        throw new EndOfStreamException($"'{marker}' never appeared. Output was:\n{seen}");
    }
}
