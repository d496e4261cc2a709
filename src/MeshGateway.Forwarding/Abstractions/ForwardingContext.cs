using System.Net;
using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding;

/// <summary>
/// Per-connection state shared by every stage (the way Envoy filters share filter state): who connected, what
/// the ClientHello said, which route and endpoint were chosen, and how far the connection got.
/// </summary>
public sealed class ForwardingContext
{
    private Dictionary<object, object?>? _items;
    internal long BytesFromClientCounter;
    internal long BytesToClientCounter;

    private readonly CancellationToken _aborted;
    private readonly ForwardedConnection? _connection;

    /// <summary>The client's address as the accept returned it, until <see cref="RemoteEndPoint"/> is first asked for.</summary>
    private readonly PeerAddress _remotePeer;
    private EndPoint? _remoteEndPoint;

    internal ForwardingContext(long connectionId, EndPoint? localEndPoint, EndPoint? remoteEndPoint, CancellationToken aborted)
    {
        ConnectionId = connectionId;
        LocalEndPoint = localEndPoint;
        _remoteEndPoint = remoteEndPoint;
        _aborted = aborted;
    }

    /// <summary>A connection's context: <see cref="Aborted"/> is the connection's abort token, made when first asked for.</summary>
    /// <remarks>
    /// The client's address is <paramref name="remoteEndPoint"/>, or else <paramref name="remotePeer"/>, whose endpoint is made
    /// when first asked for.
    /// </remarks>
    internal ForwardingContext(long connectionId, EndPoint? localEndPoint, EndPoint? remoteEndPoint, PeerAddress remotePeer, ForwardedConnection connection)
        : this(connectionId, localEndPoint, remoteEndPoint, CancellationToken.None)
    {
        _remotePeer = remotePeer;
        _connection = connection;
    }

    /// <summary>A number unique within the forwarder, for logs and correlation.</summary>
    public long ConnectionId { get; }

    /// <summary>The address the client connected to, when known.</summary>
    public EndPoint? LocalEndPoint { get; }

    /// <summary>The client's address, when known.</summary>
    public EndPoint? RemoteEndPoint => _remoteEndPoint ??= _remotePeer.ToEndPoint();   // two racing readers make equal endpoints

    /// <summary>What the sniff read from the ClientHello; null before the sniff, or when it found no ClientHello.</summary>
    public SniffedClientHello? ClientHello { get; set; }

    /// <summary>
    /// How the sniff ended, in the parser's words: <see cref="ClientHelloStatus.Done"/> (<see cref="ClientHello"/> is
    /// set), <see cref="ClientHelloStatus.NotTls"/>, <see cref="ClientHelloStatus.NotClientHello"/> or
    /// <see cref="ClientHelloStatus.Malformed"/> (a <see cref="ClientHelloStatus.TooLarge"/> hello is closed before
    /// routing); null before the sniff or when sniffing is off.
    /// </summary>
    public ClientHelloStatus? SniffStatus { get; internal set; }

    /// <summary>The route chosen for this connection; null before routing.</summary>
    public ForwardRoute? Route { get; internal set; }

    /// <summary>The upstream endpoint the connection is spliced to; null before a connect succeeds.</summary>
    public UpstreamEndpoint? Upstream { get; internal set; }

    /// <summary>Connect attempts made so far.</summary>
    public int ConnectAttempts { get; internal set; }

    /// <summary>The stage the connection is in.</summary>
    public ForwardingPhase Phase { get; internal set; }

    /// <summary>Bytes read from the client and sent upstream so far (the replayed ClientHello included).</summary>
    public long BytesFromClient => Interlocked.Read(ref BytesFromClientCounter);

    /// <summary>Bytes read from the upstream and sent to the client so far.</summary>
    public long BytesToClient => Interlocked.Read(ref BytesToClientCounter);

    /// <summary>A bag for user stages to pass data to later stages.</summary>
    public IDictionary<object, object?> Items => _items ??= [];

    /// <summary>Cancelled when the connection is being torn down (timeout, drain, reset, caller cancellation).</summary>
    public CancellationToken Aborted => _connection?.AbortToken ?? _aborted;
}
