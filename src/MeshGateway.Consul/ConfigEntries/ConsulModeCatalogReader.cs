using System.Net;
using System.Text.Json;
using MeshGateway.Consul.Client;
using MeshGateway.Consul.Json;
using MeshGateway.Consul.Registration;
using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Consul.ConfigEntries;

/// <summary>
/// Reads from a live agent what Consul's mesh gateway mode decision for one upstream of one proxy depends on, into
/// the same <see cref="ConsulModeCatalog"/> that files give (every answer goes through <see cref="ConsulConfigReader"/>,
/// so an agent's entry and a file's are checked alike):
/// <list type="bullet">
/// <item>the proxy's registration: <c>GET /v1/agent/service/:id</c> for the name given, then for
/// <c>&lt;name&gt;-sidecar-proxy</c>; when the local agent has neither, the catalog's: the proxies fronting the
/// service (<c>GET /v1/catalog/connect/:name</c>), else the instances of a proxy of that name
/// (<c>GET /v1/catalog/service/:name</c>), the first <c>connect-proxy</c> instance;</item>
/// <item><c>GET /v1/config/proxy-defaults/global</c>, and <c>GET /v1/config/service-defaults/:name</c> for the proxy's
/// destination service and for the upstream (a 404 is an absent entry);</item>
/// <item>the local datacenter: <see cref="ConsulClientOptions.Datacenter"/>, else <c>GET /v1/agent/self</c>.</item>
/// </list>
/// The token needs <c>service:read</c> on the proxy and on the two services (their service-defaults; reading
/// proxy-defaults needs no ACL), <c>node:read</c> when the catalog is asked, and <c>agent:read</c> unless the datacenter
/// is given (docs/consul.md).
/// </summary>
public sealed class ConsulModeCatalogReader : IDisposable
{
    private const string ProxySuffix = "-sidecar-proxy";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly ConsulHttp http;
    private readonly string? datacenter;
    private readonly string? partition;

    /// <summary>Creates a reader for the agent <paramref name="client"/> names.</summary>
    /// <param name="client">How to reach the agent.</param>
    public ConsulModeCatalogReader(ConsulClientOptions client)
    {
        ArgumentNullException.ThrowIfNull(client);
        http = new ConsulHttp(client);
        datacenter = client.Datacenter;
        partition = client.Partition;
    }

    /// <summary>
    /// Reads the registration of the proxy for <paramref name="service"/> (the destination service, or the proxy's own
    /// name) and the config entries that decide <paramref name="upstream"/>'s mode. A proxy the agent does not know gives
    /// a catalog without registrations (so <see cref="ConsulModeCatalog.TryGetUpstreamInput"/> says so); an invalid
    /// answer gives the reader's errors, each under the request it came from.
    /// </summary>
    /// <param name="service">The downstream service, or its proxy's registration name.</param>
    /// <param name="upstream">The upstream's destination name.</param>
    /// <param name="cancellationToken">Stops the requests.</param>
    /// <returns>The catalog, or every error found.</returns>
    /// <exception cref="ConsulRequestException">The agent could not be reached, or refused a request (403 for a token without the rights above).</exception>
    public async Task<ConsulConfigReadResult> ReadAsync(string service, string upstream, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentException.ThrowIfNullOrEmpty(upstream);
        var sources = new List<ConsulConfigSource>();
        ProxyRegistrationDocument? proxy = await FindProxyAsync(service, cancellationToken).ConfigureAwait(false);
        string downstream = service;
        if (proxy is not null)
        {
            sources.Add(proxy.Source);
            downstream = proxy.Destination ?? service;
        }

        await AddEntryAsync(sources, "/v1/config/proxy-defaults/global", cancellationToken).ConfigureAwait(false);
        await AddEntryAsync(sources, "/v1/config/service-defaults/" + Uri.EscapeDataString(downstream), cancellationToken).ConfigureAwait(false);
        if (!string.Equals(upstream, downstream, StringComparison.Ordinal))
        {
            await AddEntryAsync(sources, "/v1/config/service-defaults/" + Uri.EscapeDataString(upstream), cancellationToken).ConfigureAwait(false);
        }

        ConsulConfigReadResult result = ConsulConfigReader.Read(sources);
        if (!result.Succeeded)
        {
            return result;
        }

        string local = datacenter ?? proxy?.Datacenter ?? await ReadDatacenterAsync(cancellationToken).ConfigureAwait(false);
        return result.WithLocation(local, partition);
    }

    /// <summary>The proxy's registration; null when neither the agent nor the catalog knows it.</summary>
    private async Task<ProxyRegistrationDocument?> FindProxyAsync(string service, CancellationToken cancellationToken)
    {
        string[] ids = service.EndsWith(ProxySuffix, StringComparison.Ordinal) ? [service] : [service, service + ProxySuffix];
        foreach (string id in ids)
        {
            string path = "/v1/agent/service/" + Uri.EscapeDataString(id);
            if (await GetAsync(path, cancellationToken).ConfigureAwait(false) is { } body
                && ProxyRegistrationDocument.FromAgent(path, body) is { } registration)
            {
                return registration;
            }
        }

        // The catalog: the proxies fronting the service, else the instances of a proxy of that name.
        foreach (string path in new[] { "/v1/catalog/connect/", "/v1/catalog/service/" })
        {
            string url = path + Uri.EscapeDataString(service);
            if (await GetAsync(url, cancellationToken).ConfigureAwait(false) is { } body
                && ProxyRegistrationDocument.FromCatalog(url, body) is { } registration)
            {
                return registration;
            }
        }

        return null;
    }

    private async Task AddEntryAsync(List<ConsulConfigSource> sources, string path, CancellationToken cancellationToken)
    {
        if (await GetAsync(path, cancellationToken).ConfigureAwait(false) is { } body)
        {
            sources.Add(new ConsulConfigSource("GET " + path, body, ConsulConfigFormat.Json));
        }
    }

    private async Task<string> ReadDatacenterAsync(CancellationToken cancellationToken)
    {
        const string Path = "/v1/agent/self";
        byte[] body = await GetAsync(Path, cancellationToken).ConfigureAwait(false)
            ?? throw new ConsulRequestException($"GET {Path}: the Consul agent answered HTTP 404", HttpStatusCode.NotFound, null);
        string? name = ProxyRegistrationDocument.Deserialize(body, ConsulApiJsonContext.Default.AgentSelfJson, Path)?.Config?.Datacenter;
        return string.IsNullOrEmpty(name)
            ? throw new ConsulRequestException($"GET {Path}: the answer names no datacenter", null, null)
            : name;
    }

    /// <summary>The body of a GET; null for 404 (Consul's answer for an absent service or config entry).</summary>
    private async Task<byte[]?> GetAsync(string path, CancellationToken cancellationToken)
    {
        ConsulResponse response;
        try
        {
            response = await http.GetAsync(http.PathWith(path), RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or IOException)
        {
            throw new ConsulRequestException($"GET {path}: the Consul agent could not be reached: {e.Message}", null, e);
        }

        return response.Status == HttpStatusCode.NotFound ? null
            : response.IsSuccess ? response.Body
            : throw new ConsulRequestException($"GET {path}: the Consul agent answered HTTP {(int)response.Status}", response.Status, null);
    }

    /// <inheritdoc/>
    public void Dispose() => http.Dispose();
}
