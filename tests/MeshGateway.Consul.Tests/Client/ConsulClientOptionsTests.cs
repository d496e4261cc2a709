using MeshGateway.Consul.Client;

namespace MeshGateway.Consul.Tests.Client;

public sealed class ConsulClientOptionsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("meshgw-consul-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Nothing_given_means_consuls_default_address_and_no_token()
    {
        ConsulClientOptions options = ConsulClientOptions.Create(null, Env());

        Assert.Equal(new Uri("http://127.0.0.1:8500/"), options.Address);
        Assert.Null(options.Token);
    }

    [Theory]
    [InlineData("127.0.0.1:8500", null, "http://127.0.0.1:8500/")]
    [InlineData("consul.internal:8501", "true", "https://consul.internal:8501/")]
    [InlineData("https://consul.internal:8501", null, "https://consul.internal:8501/")]
    [InlineData("http://[::1]:8500/", null, "http://[::1]:8500/")]
    public void Scheme_less_address_means_http_unless_consul_http_ssl(string address, string? ssl, string expected)
    {
        ConsulClientOptions options = ConsulClientOptions.Create(null, Env(("CONSUL_HTTP_ADDR", address), ("CONSUL_HTTP_SSL", ssl)));

        Assert.Equal(new Uri(expected), options.Address);
    }

    [Fact]
    public void Environment_is_read_as_consuls_clients_read_it()
    {
        string ca = File(Path.Combine(folder, "ca.pem"), "x");
        ConsulClientOptions options = ConsulClientOptions.Create(null, Env(
            ("CONSUL_HTTP_ADDR", "https://consul.internal:8501"),
            ("CONSUL_HTTP_TOKEN", "env-token"),
            ("CONSUL_CACERT", ca),
            ("CONSUL_TLS_SERVER_NAME", "server.dc1.consul"),
            ("CONSUL_NAMESPACE", "team-a"),
            ("CONSUL_PARTITION", "part-1")));

        Assert.Equal(("env-token", ca, "server.dc1.consul", "team-a", "part-1"),
            (options.Token, options.CaCertFile, options.TlsServerName, options.Namespace, options.Partition));
    }

    [Fact]
    public void Explicit_values_win_over_the_environment()
    {
        ConsulClientOptions options = ConsulClientOptions.Create(
            new ConsulClientSettings { Address = "10.0.0.9:8500", Token = "flag-token", Namespace = "flag-ns" },
            Env(("CONSUL_HTTP_ADDR", "10.0.0.1:8500"), ("CONSUL_HTTP_TOKEN", "env-token"), ("CONSUL_NAMESPACE", "env-ns")));

        Assert.Equal((new Uri("http://10.0.0.9:8500/"), "flag-token", "flag-ns"), (options.Address, options.Token, options.Namespace));
    }

    [Fact]
    public void Token_beats_a_token_file_and_a_flag_token_file_beats_the_environment_token()
    {
        string file = File(Path.Combine(folder, "token"), "  file-token\n");

        ConsulClientOptions both = ConsulClientOptions.Create(null, Env(("CONSUL_HTTP_TOKEN", "env-token"), ("CONSUL_HTTP_TOKEN_FILE", file)));
        ConsulClientOptions onlyFile = ConsulClientOptions.Create(null, Env(("CONSUL_HTTP_TOKEN_FILE", file)));
        ConsulClientOptions flagFile = ConsulClientOptions.Create(new ConsulClientSettings { TokenFile = file }, Env(("CONSUL_HTTP_TOKEN", "env-token")));

        Assert.Equal("env-token", both.Token);
        Assert.Equal("file-token", onlyFile.Token);
        Assert.Equal(("file-token", file), (flagFile.Token, flagFile.TokenFile));
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        bool ok = ConsulClientOptions.TryCreate(
            new ConsulClientSettings { Address = "ftp://consul:21", ClientCertFile = Path.Combine(folder, "absent.pem"), Namespace = "team a" },
            Env(("CONSUL_HTTP_TOKEN_FILE", Path.Combine(folder, "absent-token")), ("CONSUL_CACERT", Path.Combine(folder, "absent-ca.pem"))),
            out ConsulClientOptions? options,
            out IReadOnlyList<string> errors);

        Assert.False(ok);
        Assert.Null(options);
        Assert.Collection(
            errors,
            e => Assert.Contains("'ftp://consul:21' is not http(s)", e, StringComparison.Ordinal),
            e => Assert.Contains("cannot read the token file", e, StringComparison.Ordinal),
            e => Assert.Contains("CA certificate (CONSUL_CACERT) file", e, StringComparison.Ordinal),
            e => Assert.Contains("client certificate (CONSUL_CLIENT_CERT) file", e, StringComparison.Ordinal),
            e => Assert.Contains("must be given together", e, StringComparison.Ordinal),
            e => Assert.Contains("namespace 'team a'", e, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("unix:///var/run/consul.sock", "unix socket")]
    [InlineData("http://consul:8500/v1", "without a path")]
    [InlineData("http://user:pw@consul:8500", "without a path, query or user information")]
    public void Unsupported_addresses_are_refused_with_the_reason(string address, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => ConsulClientOptions.Create(new ConsulClientSettings { Address = address }, Env()));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_with_a_line_break_is_refused_and_not_echoed()
    {
        var error = Assert.Throws<ArgumentException>(() => ConsulClientOptions.Create(new ConsulClientSettings { Token = "abc\r\nX-Evil: 1" }, Env()));

        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Evil", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls_files_with_a_plain_http_address_are_an_error()
    {
        string ca = File(Path.Combine(folder, "ca.pem"), "x");

        var error = Assert.Throws<ArgumentException>(() => ConsulClientOptions.Create(new ConsulClientSettings { CaCertFile = ca }, Env(("CONSUL_HTTP_ADDR", "127.0.0.1:8500"))));

        Assert.Contains("is not https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Description_never_shows_the_token()
    {
        ConsulClientOptions options = ConsulClientOptions.Create(new ConsulClientSettings { Token = "s3cr3t-token" }, Env());

        Assert.DoesNotContain("s3cr3t-token", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("token: set", options.ToString(), StringComparison.Ordinal);
    }

    private static Func<string, string?> Env(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static string File(string path, string content)
    {
        System.IO.File.WriteAllText(path, content);
        return path;
    }
}
