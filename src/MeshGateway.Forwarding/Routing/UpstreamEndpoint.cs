using System.Globalization;
using System.Net;

namespace MeshGateway.Forwarding;

/// <summary>One address an upstream connection can be dialed to, with its live connection count.</summary>
public sealed class UpstreamEndpoint
{
    /// <summary>Dials that skip the send behind connect after one that found the connection still in progress.</summary>
    internal const int SendBehindConnectBackoff = 63;

    private int _activeConnections;

    /// <summary>
    /// Dials left before the engine's loop tries again to send a hello right behind connect(2)'s EINPROGRESS
    /// (<see cref="TakeSendBehindConnectTurn"/>): 0 while the last try found the connection established,
    /// <see cref="SendBehindConnectBackoff"/> after one that found it in progress. Read and written without
    /// synchronization by every loop: a lost update only moves the next try.
    /// </summary>
    private int _sendBehindConnectSkips;

    /// <summary>Creates an endpoint for <paramref name="endPoint"/> (an <see cref="IPEndPoint"/> or a <see cref="DnsEndPoint"/>).</summary>
    public UpstreamEndpoint(EndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        EndPoint = endPoint;
    }

    /// <summary>The address to dial.</summary>
    public EndPoint EndPoint { get; }

    /// <summary>Connections currently spliced to this endpoint (used by <see cref="PowerOfTwoChoicesSelector"/>).</summary>
    public int ActiveConnections => Volatile.Read(ref _activeConnections);

    /// <summary>
    /// Parses <c>HOST:PORT</c> (<c>127.0.0.1:9001</c>, <c>[::1]:9001</c>, <c>gw.example:443</c>).
    /// Returns false (never throws) when the text is not one.
    /// </summary>
    public static bool TryParse(string? text, out UpstreamEndpoint? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (IPEndPoint.TryParse(text, out IPEndPoint? ip) && ip.Port != 0 && text.Contains(':', StringComparison.Ordinal))
        {
            endpoint = new UpstreamEndpoint(ip);
            return true;
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        string host = text[..colon];
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port is < 1 or > IPEndPoint.MaxPort
            || host.Contains(':', StringComparison.Ordinal)
            || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            return false;
        }

        endpoint = new UpstreamEndpoint(new DnsEndPoint(host, port));
        return true;
    }

    /// <summary>Parses <c>HOST:PORT</c>, throwing <see cref="FormatException"/> when it is not one.</summary>
    public static UpstreamEndpoint Parse(string text) =>
        TryParse(text, out UpstreamEndpoint? endpoint)
            ? endpoint!
            : throw new FormatException($"'{text}' is not HOST:PORT.");

    internal void OnConnected() => Interlocked.Increment(ref _activeConnections);

    internal void OnDisconnected() => Interlocked.Decrement(ref _activeConnections);

    /// <summary>Dials left before the next send behind a connect (for tests).</summary>
    internal int SendBehindConnectSkips => _sendBehindConnectSkips;

    /// <summary>True when this dial should try its first send right behind the connect (this endpoint's connects completed in the call lately).</summary>
    internal bool TakeSendBehindConnectTurn()
    {
        int skips = _sendBehindConnectSkips;
        if (skips == 0)
        {
            return true;
        }

        _sendBehindConnectSkips = skips - 1;
        return false;
    }

    /// <summary>How a send behind the connect went: the connection was <paramref name="established"/>, or still in progress.</summary>
    internal void SentBehindConnect(bool established) => _sendBehindConnectSkips = established ? 0 : SendBehindConnectBackoff;

    /// <inheritdoc/>
    public override string ToString() => EndPoint switch
    {
        DnsEndPoint dns => string.Create(CultureInfo.InvariantCulture, $"{dns.Host}:{dns.Port}"),
        _ => EndPoint.ToString() ?? string.Empty,
    };
}
