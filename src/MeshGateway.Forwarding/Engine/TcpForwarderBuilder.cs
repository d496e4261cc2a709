using System.Diagnostics.Metrics;
using MeshGateway.ClientHello;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding;

/// <summary>
/// Builds a <see cref="TcpForwarder"/> without dependency injection: options plus the stage implementations.
/// Every stage has a default: the TLS ClientHello sniff, SNI routes from <see cref="ForwarderOptions.Routes"/>,
/// plain TCP connects, system time, no filters, no observers.
/// </summary>
public sealed class TcpForwarderBuilder
{
    private readonly List<IConnectionFilter> _filters = [];
    private readonly List<IForwarderObserver> _observers = [];
    private bool _sniffing = true;
    private ClientHelloParserOptions? _parserOptions;
    private IForwardRouteResolver? _routeResolver;
    private IUpstreamConnector _connector = SocketUpstreamConnector.Instance;
    private TimeProvider _timeProvider = TimeProvider.System;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private IMeterFactory? _meterFactory;

    /// <summary>Creates a builder over <paramref name="options"/> (new defaults when null).</summary>
    public TcpForwarderBuilder(ForwarderOptions? options = null)
    {
        Options = options ?? new ForwarderOptions();
    }

    /// <summary>The options the forwarder will be built with; validated by <see cref="Build"/>.</summary>
    public ForwarderOptions Options { get; }

    /// <summary>Adds an admission filter; filters run in the order added.</summary>
    public TcpForwarderBuilder AddConnectionFilter(IConnectionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _filters.Add(filter);
        return this;
    }

    /// <summary>
    /// Turns the ClientHello sniff on (the default) or off: without it routes see no ClientHello and no bytes are
    /// held before the upstream connect.
    /// </summary>
    public TcpForwarderBuilder UseSniffing(bool enabled)
    {
        _sniffing = enabled;
        return this;
    }

    /// <summary>
    /// Sniffs with <paramref name="parserOptions"/> (a profile, or a handshake-length cap). The wire cap stays
    /// <see cref="ForwarderOptions.MaxClientHelloBytes"/>; by default the handshake cap is derived from it (the
    /// wire cap less one record and one handshake header).
    /// </summary>
    public TcpForwarderBuilder UseSniffing(ClientHelloParserOptions parserOptions)
    {
        ArgumentNullException.ThrowIfNull(parserOptions);
        _sniffing = true;
        _parserOptions = parserOptions;
        return this;
    }

    /// <summary>Replaces the route resolver (default: <see cref="OptionsRouteResolver"/> over <see cref="Options"/>).</summary>
    public TcpForwarderBuilder UseRouteResolver(IForwardRouteResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _routeResolver = resolver;
        return this;
    }

    /// <summary>Replaces the upstream connector (the dialer).</summary>
    public TcpForwarderBuilder UseConnector(IUpstreamConnector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        _connector = connector;
        return this;
    }

    /// <summary>Adds an observer of connection events.</summary>
    public TcpForwarderBuilder AddObserver(IForwarderObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.Add(observer);
        return this;
    }

    /// <summary>Sets the clock for every timeout (tests pass a fake one).</summary>
    public TcpForwarderBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        return this;
    }

    /// <summary>Sets where the forwarder logs.</summary>
    public TcpForwarderBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Creates the <c>MeshGateway.Forwarding</c> meter through <paramref name="meterFactory"/>.</summary>
    public TcpForwarderBuilder UseMeterFactory(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meterFactory = meterFactory;
        return this;
    }

    /// <summary>
    /// Splice mode on Linux waits on the forwarder's own epoll loop (true, the default) or on the runtime's socket
    /// readiness (false). Internal: the functional tests run the splice semantics both ways.
    /// </summary>
    internal bool UseOwnReadiness { get; set; } = true;

    /// <summary>Internal: upstreams dialed as in-memory sides (the engine tests); see <see cref="ForwarderStages.UpstreamTransport"/>.</summary>
    internal Func<UpstreamEndpoint, CancellationToken, ValueTask<ConnectionSide>>? UpstreamTransport { get; set; }

    /// <summary>Internal: the pool the engine rents buffers from (the engine tests count it); see <see cref="ForwarderStages.Buffers"/>.</summary>
    internal System.Buffers.ArrayPool<byte>? Buffers { get; set; }

    /// <summary>
    /// Validates <see cref="Options"/> (every error at once, as <see cref="OptionsValidationException"/>) and
    /// builds the forwarder.
    /// </summary>
    public TcpForwarder Build()
    {
        ForwarderOptionsValidator.ThrowIfInvalid(Options);
        ILogger logger = _loggerFactory.CreateLogger("MeshGateway.Forwarding");
        IForwardRouteResolver resolver = _routeResolver ?? new OptionsRouteResolver(Options);
        ClientHelloParserOptions? parserOptions = _sniffing ? _parserOptions ?? ClientHelloSniff.ParserOptionsFor(Options.MaxClientHelloBytes) : null;
        var stages = new ForwarderStages(
            _filters.ToArray(),
            parserOptions,
            resolver,
            _connector,
            _observers.ToArray(),
            _timeProvider,
            logger,
            new ForwarderMetrics(_meterFactory)) { UpstreamTransport = UpstreamTransport, Buffers = Buffers ?? System.Buffers.ArrayPool<byte>.Shared };
        return new TcpForwarder(ForwarderSettings.From(Options) with { OwnReadiness = UseOwnReadiness }, stages);
    }
}
