using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshGateway.Consul.Client;
using MeshGateway.Consul.Tests.Infrastructure;
using MeshGateway.Consul.Watch;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Consul.Tests.Client;

/// <summary>HTTPS to the agent: its certificate verified against CONSUL_CACERT, with CONSUL_TLS_SERVER_NAME as the name.</summary>
public sealed class ConsulTlsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("meshgw-consul-tls-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Agent_certificate_signed_by_the_given_ca_for_the_given_server_name_is_trusted()
    {
        (X509Certificate2 server, string caFile) = IssueServerCertificate("server.dc1.consul");
        using (server)
        {
            await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync(server);
            agent.Set("/v1/catalog/services", Catalog.Services("web"));
            agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000)));
            ConsulClientOptions client = ConsulClientOptions.Create(
                new ConsulClientSettings { Datacenter = "dc1" },
                Env(("CONSUL_HTTP_ADDR", agent.Address.ToString()), ("CONSUL_CACERT", caFile), ("CONSUL_TLS_SERVER_NAME", "server.dc1.consul")));
            await using var watcher = new ConsulMeshWatcher(client, WatcherFixture.Options);

            watcher.Start();
            ConsulMeshSnapshot snapshot = await watcher.WaitUntilAsync(s => s.LocalServices.ContainsKey("web"));

            Assert.Single(snapshot.LocalServices["web"]);
        }
    }

    [Fact]
    public async Task Agent_certificate_for_another_server_name_is_refused()
    {
        (X509Certificate2 server, string caFile) = IssueServerCertificate("server.dc1.consul");
        using (server)
        {
            await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync(server);
            agent.Set("/v1/catalog/services", Catalog.Services("web"));
            ConsulClientOptions client = ConsulClientOptions.Create(
                new ConsulClientSettings { Datacenter = "dc1", Address = agent.Address.ToString(), CaCertFile = caFile, TlsServerName = "other.dc1.consul" },
                _ => null);
            await using var watcher = new ConsulMeshWatcher(client, WatcherFixture.Options);

            watcher.Start();
            ConsulConnectionStatus status = await watcher.WaitForStatusAsync(s => !s.Connected && s.LastError is not null);

            Assert.Contains("SSL connection could not be established", status.LastError, StringComparison.Ordinal);
            Assert.Equal(0, watcher.Current.Version);
            Assert.Empty(agent.Requests);
        }
    }

    /// <summary>A throwaway CA (written as PEM) and a server certificate it signed for <paramref name="name"/>.</summary>
    private (X509Certificate2 Server, string CaFile) IssueServerCertificate(string name)
    {
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=MeshGateway test Consul CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=" + name, serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 signed = serverRequest.Create(ca, now.AddDays(-1), now.AddHours(12), [1, 2, 3, 4]);
        using X509Certificate2 withKey = signed.CopyWithPrivateKey(serverKey);
        X509Certificate2 server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

        string caFile = Path.Combine(folder, "consul-agent-ca.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem());
        return (server, caFile);
    }

    private static Func<string, string?> Env(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
