namespace MeshGateway.Consul.Client;

public sealed partial class ConsulClientOptions
{
    /// <summary>
    /// Builds options as Consul's own clients do: each value from <paramref name="explicitValues"/> when set, else from
    /// its environment variable (<c>CONSUL_HTTP_ADDR</c>, <c>CONSUL_HTTP_TOKEN</c>, <c>CONSUL_HTTP_TOKEN_FILE</c>,
    /// <c>CONSUL_CACERT</c>, <c>CONSUL_CLIENT_CERT</c>, <c>CONSUL_CLIENT_KEY</c>, <c>CONSUL_TLS_SERVER_NAME</c>,
    /// <c>CONSUL_NAMESPACE</c>, <c>CONSUL_PARTITION</c>). A scheme-less <c>host:port</c> address means <c>http</c>
    /// (<c>https</c> when <c>CONSUL_HTTP_SSL</c> is true); a token wins over a token file. Throws with every error.
    /// </summary>
    /// <param name="explicitValues">Values that win over the environment; null for none.</param>
    /// <param name="environment">Reads an environment variable; null for the process environment.</param>
    /// <returns>The validated options.</returns>
    /// <exception cref="ArgumentException">A value is invalid; the message lists every error, one per line.</exception>
    public static ConsulClientOptions Create(ConsulClientSettings? explicitValues = null, Func<string, string?>? environment = null)
    {
        if (TryCreate(explicitValues, environment, out ConsulClientOptions? options, out IReadOnlyList<string> errors))
        {
            return options;
        }

        throw new ArgumentException("invalid Consul client options:" + Environment.NewLine + string.Join(Environment.NewLine, errors), nameof(explicitValues));
    }

    /// <summary>Builds options as <see cref="Create"/> does, returning every error instead of throwing.</summary>
    /// <param name="explicitValues">Values that win over the environment; null for none.</param>
    /// <param name="environment">Reads an environment variable; null for the process environment.</param>
    /// <param name="options">The options, when valid.</param>
    /// <param name="errors">Every error found (empty when valid).</param>
    /// <returns>True when the options are valid.</returns>
    public static bool TryCreate(
        ConsulClientSettings? explicitValues,
        Func<string, string?>? environment,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConsulClientOptions? options,
        out IReadOnlyList<string> errors)
    {
        ConsulClientSettings given = explicitValues ?? new ConsulClientSettings();
        Func<string, string?> env = environment ?? Environment.GetEnvironmentVariable;
        var found = new List<string>();

        string? Pick(string? value, string variable) => Blank(value) ? (Blank(env(variable)) ? null : env(variable)!.Trim()) : value!.Trim();

        Uri? address = ParseAddress(Pick(given.Address, "CONSUL_HTTP_ADDR"), IsTrue(env("CONSUL_HTTP_SSL")), found);

        // Consul's clients: an explicit token beats a token file, and a flag beats the environment.
        string? token = null;
        string? tokenFile = null;
        if (!Blank(given.Token))
        {
            token = given.Token!.Trim();
        }
        else if (!Blank(given.TokenFile))
        {
            tokenFile = given.TokenFile!.Trim();
        }
        else if (!Blank(env("CONSUL_HTTP_TOKEN")))
        {
            token = env("CONSUL_HTTP_TOKEN")!.Trim();
        }
        else if (!Blank(env("CONSUL_HTTP_TOKEN_FILE")))
        {
            tokenFile = env("CONSUL_HTTP_TOKEN_FILE")!.Trim();
        }

        if (tokenFile is not null)
        {
            token = ReadTokenFile(tokenFile, found);
        }

        if (token is not null && !IsHeaderSafe(token))
        {
            found.Add("the ACL token contains a control character or non-ASCII text (it is sent as the X-Consul-Token header)");
            token = null;
        }

        string? caCert = Pick(given.CaCertFile, "CONSUL_CACERT");
        string? clientCert = Pick(given.ClientCertFile, "CONSUL_CLIENT_CERT");
        string? clientKey = Pick(given.ClientKeyFile, "CONSUL_CLIENT_KEY");
        RequireFile(caCert, "CA certificate (CONSUL_CACERT)", found);
        RequireFile(clientCert, "client certificate (CONSUL_CLIENT_CERT)", found);
        RequireFile(clientKey, "client key (CONSUL_CLIENT_KEY)", found);
        if ((clientCert is null) != (clientKey is null))
        {
            found.Add("a client certificate and a client key must be given together (CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY)");
        }

        bool usesTls = address?.Scheme == Uri.UriSchemeHttps;
        if (!usesTls && address is not null && (caCert ?? clientCert) is not null)
        {
            found.Add($"TLS files are set but the address {address} is not https");
        }

        string? serverName = Pick(given.TlsServerName, "CONSUL_TLS_SERVER_NAME");
        if (serverName is not null && Uri.CheckHostName(serverName) != UriHostNameType.Dns)
        {
            found.Add($"the TLS server name '{serverName}' is not a DNS name");
        }

        string? ns = Pick(given.Namespace, "CONSUL_NAMESPACE");
        string? partition = Pick(given.Partition, "CONSUL_PARTITION");
        string? datacenter = Blank(given.Datacenter) ? null : given.Datacenter!.Trim();
        CheckName(ns, "namespace", found);
        CheckName(partition, "partition", found);
        CheckName(datacenter, "datacenter", found);

        errors = found;
        if (found.Count > 0)
        {
            options = null;
            return false;
        }

        options = new ConsulClientOptions(address!)
        {
            Token = token,
            TokenFile = tokenFile,
            CaCertFile = caCert,
            ClientCertFile = clientCert,
            ClientKeyFile = clientKey,
            TlsServerName = serverName,
            Namespace = ns,
            Partition = partition,
            Datacenter = datacenter,
        };
        return true;
    }

    private static Uri? ParseAddress(string? value, bool ssl, List<string> errors)
    {
        if (value is null)
        {
            return DefaultAddress;
        }

        if (value.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"the Consul address '{value}' is a unix socket, which this client does not support; use http(s)://host:port");
            return null;
        }

        // Consul's clients: no scheme means http (https when CONSUL_HTTP_SSL is true).
        string withScheme = value.Contains("://", StringComparison.Ordinal) ? value : (ssl ? "https://" : "http://") + value;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            errors.Add($"the Consul address '{value}' is not http(s)://host:port or host:port");
            return null;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            errors.Add($"the Consul address '{value}' must be scheme://host:port without a path, query or user information");
            return null;
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    private static string? ReadTokenFile(string path, List<string> errors)
    {
        try
        {
            string token = File.ReadAllText(path).Trim();
            if (token.Length == 0)
            {
                errors.Add($"the token file '{path}' is empty");
                return null;
            }

            return token;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add($"cannot read the token file '{path}': {e.Message}");
            return null;
        }
    }

    private static void RequireFile(string? path, string what, List<string> errors)
    {
        if (path is not null && !File.Exists(path))
        {
            errors.Add($"the {what} file '{path}' does not exist");
        }
    }

    private static void CheckName(string? value, string what, List<string> errors)
    {
        if (value is not null && !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add($"the {what} '{value}' may hold only letters, digits, '-', '_' and '.'");
        }
    }

    private static bool IsHeaderSafe(string value) => value.All(c => c is > ' ' and < (char)0x7F);

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    private static bool IsTrue(string? value) =>
        value is not null && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));
}
