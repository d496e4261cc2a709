using System.Globalization;
using System.Net;

namespace MeshGateway.Forwarding;

/// <summary>
/// The <c>consul</c> section (issue 17): the values <c>meshgw gateway --consul</c> takes as flags, checked here so that
/// each error has its path. Consul's own client rules (<c>api.DefaultConfig</c>): a scheme-less <c>host:port</c> is
/// <c>http</c>; TLS files need an <c>https</c> address; a client certificate and its key come together.
/// </summary>
public sealed partial class MeshGatewayComposer
{
    private void CheckConsul()
    {
        MeshGatewayConsulOptions? consul = _options.Consul;
        string[] path = Path(nameof(MeshGatewayOptions.Consul));
        if (consul is null || IsReported(path))
        {
            return;
        }

        if (_options.Mode == MeshGatewayRole.UpstreamListener)
        {
            Error(path, "only a mesh gateway follows a Consul agent; upstream listeners take their modes from \"entries\" (files), and meshgw resolve --consul reads live ones.");
            return;
        }

        string[] addressPath = Child(path, nameof(MeshGatewayConsulOptions.Address));
        Uri? address = consul.Address is { } text && !IsReported(addressPath) ? ConsulAddress(text, addressPath) : null;
        string[] tokenPath = Child(path, nameof(MeshGatewayConsulOptions.Token));
        if (consul.Token is { } token && !IsReported(tokenPath) && !token.All(c => c is > ' ' and < (char)0x7F))
        {
            Error(tokenPath, "the ACL token holds a space, a control character or non-ASCII text (it is sent as the X-Consul-Token header).");
        }

        string[] tokenFilePath = Child(path, nameof(MeshGatewayConsulOptions.TokenFile));
        if (consul.Token is not null && consul.TokenFile is not null && !IsReported(tokenFilePath))
        {
            Error(tokenFilePath, "give \"token\" or \"tokenFile\", not both.");
        }

        ExistingFile(consul.TokenFile, tokenFilePath);
        ExistingFile(consul.CaFile, Child(path, nameof(MeshGatewayConsulOptions.CaFile)));
        string[] certPath = Child(path, nameof(MeshGatewayConsulOptions.ClientCertFile));
        ExistingFile(consul.ClientCertFile, certPath);
        ExistingFile(consul.ClientKeyFile, Child(path, nameof(MeshGatewayConsulOptions.ClientKeyFile)));
        if ((consul.ClientCertFile is null) != (consul.ClientKeyFile is null) && !IsReported(certPath))
        {
            Error(certPath, "\"clientCertFile\" and \"clientKeyFile\" come together.");
        }

        if (address is not null && address.Scheme != Uri.UriSchemeHttps && (consul.CaFile ?? consul.ClientCertFile) is not null)
        {
            Error(addressPath, $"TLS files are given, but {MeshGatewayText.Quote(consul.Address)} is not an https address.");
        }

        string[] serverNamePath = Child(path, nameof(MeshGatewayConsulOptions.TlsServerName));
        if (consul.TlsServerName is { } serverName && !IsReported(serverNamePath) && Uri.CheckHostName(serverName) != UriHostNameType.Dns)
        {
            Error(serverNamePath, $"{MeshGatewayText.Quote(serverName)} is not a DNS name.");
        }

        CheckName(consul.Namespace, Child(path, nameof(MeshGatewayConsulOptions.Namespace)), MeshGatewayNames.LabelProblem, "namespace");
        CheckRegister(consul.Register, Child(path, nameof(MeshGatewayConsulOptions.Register)));
    }

    private void CheckRegister(MeshGatewayConsulRegisterOptions? register, string[] path)
    {
        if (register is null || IsReported(path))
        {
            return;
        }

        CheckName(register.Name, Child(path, nameof(MeshGatewayConsulRegisterOptions.Name)), MeshGatewayNames.LabelProblem, "service");
        string[] addressPath = Child(path, nameof(MeshGatewayConsulRegisterOptions.Address));
        if (register.Address is { } address && !IsReported(addressPath) && Uri.CheckHostName(address) is not (UriHostNameType.IPv4 or UriHostNameType.IPv6 or UriHostNameType.Dns))
        {
            Error(addressPath, $"expected an IP address or a host name, got {MeshGatewayText.Quote(address)}.");
        }
        else if (register.Enabled && register.Address is null && !IsReported(addressPath) && _options.Listeners.Count > 0
            && ListenEndPoint.TryParse(_options.Listeners[0], out IPEndPoint? first, out _)
            && (first!.Address.Equals(IPAddress.Any) || first.Address.Equals(IPAddress.IPv6Any)))
        {
            Error(addressPath, $"required when the first listener binds every address ({first.Address}): give the address other gateways dial.");
        }

        string[] wanPath = Child(path, nameof(MeshGatewayConsulRegisterOptions.WanAddress));
        if (register.WanAddress is { } wan && !IsReported(wanPath) && !IsHostAndOptionalPort(wan))
        {
            Error(wanPath, $"expected HOST or HOST:PORT, got {MeshGatewayText.Quote(wan)}.");
        }
    }

    /// <summary>The agent's address as Consul's clients read it: <c>host:port</c> without a scheme is <c>http</c>.</summary>
    private Uri? ConsulAddress(string text, string[] path)
    {
        string withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            Error(path, $"expected http(s)://host:port or host:port (no path; a unix socket is not supported), got {MeshGatewayText.Quote(text)}.");
            return null;
        }

        return uri;
    }

    private void ExistingFile(string? file, string[] path)
    {
        if (file is null || IsReported(path))
        {
            return;
        }

        string? full = ResolveFile(file);
        if (full is null || !File.Exists(full))
        {
            Error(path, $"the file {MeshGatewayText.Quote(file)} does not exist{(full is null || full == file ? "" : $" ({MeshGatewayText.Quote(full)})")}.");
        }
    }

    /// <summary><paramref name="file"/> from <see cref="MeshGatewayOptions.BaseDirectory"/> (or the current directory); null when it is not a path.</summary>
    private string? ResolveFile(string file) =>
        file.Length == 0 || file.Contains('\0', StringComparison.Ordinal)
            ? null
            : System.IO.Path.GetFullPath(file, System.IO.Path.GetFullPath(_options.BaseDirectory ?? Environment.CurrentDirectory));

    private static bool IsHostAndOptionalPort(string value)
    {
        if (IPAddress.TryParse(value, out _) && !value.Contains(']', StringComparison.Ordinal))
        {
            return true;
        }

        int colon = value.LastIndexOf(':');
        string host = colon < 0 ? value : value[..colon];
        bool portOk = colon < 0 || (int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535);
        host = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return portOk && Uri.CheckHostName(host) is UriHostNameType.IPv4 or UriHostNameType.IPv6 or UriHostNameType.Dns;
    }
}
