using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MeshGateway.Consul.Client;

/// <summary>
/// The HTTP side of talking to one agent: TLS from the options, the ACL token as <c>X-Consul-Token</c> on every request
/// (never in a URL, never logged), <c>ns</c>/<c>partition</c> query parameters, and a timeout per request.
/// </summary>
internal sealed class ConsulHttp : IDisposable
{
    private const string TokenHeader = "X-Consul-Token";
    private const string IndexHeader = "X-Consul-Index";

    /// <summary>The largest response body read; Consul answers for a few thousand services stay far below.</summary>
    internal const int MaxResponseBytes = 64 * 1024 * 1024;

    private readonly HttpClient client;
    private readonly ConsulClientOptions options;

    public ConsulHttp(ConsulClientOptions options)
    {
        this.options = options;
        client = new HttpClient(CreateHandler(options), disposeHandler: true)
        {
            BaseAddress = options.Address,
            // Each request carries its own deadline (above the blocking wait); see GetAsync.
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
    }

    /// <summary>The path and query of a request, with the namespace and partition of the options added.</summary>
    public string PathWith(string path, string? extraQuery = null)
    {
        var query = new StringBuilder();
        void Add(string part)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(part);
        }

        if (extraQuery is not null)
        {
            Add(extraQuery);
        }

        if (options.Namespace is { } ns)
        {
            Add("ns=" + Uri.EscapeDataString(ns));
        }

        if (options.Partition is { } partition)
        {
            Add("partition=" + Uri.EscapeDataString(partition));
        }

        return path + query;
    }

    /// <summary>
    /// Sends a GET (a blocking query when the query holds an index) and reads the whole body. The request
    /// gives up after <paramref name="timeout"/>, which callers set above the wait plus Consul's jitter.
    /// </summary>
    public async Task<ConsulResponse> GetAsync(string pathAndQuery, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        return await SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a PUT with a JSON body (null for none).</summary>
    public async Task<ConsulResponse> PutAsync(string pathAndQuery, byte[]? json, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, pathAndQuery);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new("application/json");
        }

        return await SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ConsulResponse> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // SocketsHttpHandler takes the TLS server name (SNI and the name verified) from the Host header, not from
        // SslOptions.TargetHost; Consul ignores the Host header, so it carries CONSUL_TLS_SERVER_NAME.
        if (options.TlsServerName is { } serverName && options.Address.Scheme == Uri.UriSchemeHttps)
        {
            request.Headers.Host = options.Address.IsDefaultPort ? serverName : $"{serverName}:{options.Address.Port}";
        }

        if (options.Token is { } token)
        {
            request.Headers.TryAddWithoutValidation(TokenHeader, token);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            return new ConsulResponse(response.StatusCode, ReadIndex(response), body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer from the Consul agent within {timeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>The <c>X-Consul-Index</c> header, or null when absent or not a number.</summary>
    private static ulong? ReadIndex(HttpResponseMessage response) =>
        response.Headers.TryGetValues(IndexHeader, out IEnumerable<string>? values)
        && ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong index)
            ? index
            : null;

    private static SocketsHttpHandler CreateHandler(ConsulClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        };

        if (options.Address.Scheme != Uri.UriSchemeHttps)
        {
            return handler;
        }

        var ssl = new SslClientAuthenticationOptions { TargetHost = options.TlsServerName };
        if (options.ClientCertFile is { } certFile && options.ClientKeyFile is { } keyFile)
        {
            ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(certFile, keyFile)];
        }

        if (options.CaCertFile is { } caFile)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caFile);
            ssl.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            ssl.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        handler.SslOptions = ssl;
        return handler;
    }

    public void Dispose() => client.Dispose();
}

/// <summary>An answer from the agent: status, <c>X-Consul-Index</c> (null when absent), body.</summary>
internal readonly record struct ConsulResponse(HttpStatusCode Status, ulong? Index, byte[] Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}
