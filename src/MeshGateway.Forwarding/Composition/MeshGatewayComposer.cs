using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding;

/// <summary>
/// Checks a <see cref="MeshGatewayOptions"/> and composes it into listeners: a mesh gateway with
/// <see cref="MeshGatewayRouterBuilder"/>, upstream listeners with <see cref="SidecarBuilder"/> (the Modes resolver
/// picks each upstream's dial path). Every problem is reported at once, each at its own path: names (docs/naming.md),
/// addresses, endpoints, durations, limits, mode words, two entries for one route, an empty endpoint list.
/// </summary>
/// <example>
/// <code>
/// MeshGatewayComposition gateway = MeshGatewayComposer.Compose(options);
/// await using ForwarderGroup running = await gateway.StartAsync();
/// </code>
/// </example>
public sealed partial class MeshGatewayComposer
{
    private readonly MeshGatewayOptions _options;
    private readonly List<MeshGatewayOptionsProblem> _errors;
    private readonly List<MeshGatewayOptionsProblem> _warnings = [];
    private readonly HashSet<string> _reported;
    private readonly List<string> _reportedPrefixes;

    private MeshGatewayComposer(MeshGatewayOptions options, IEnumerable<MeshGatewayOptionsProblem>? reported)
    {
        _options = options;
        _errors = [];
        _reportedPrefixes = [.. (reported ?? []).Select(p => Key(p.Path))];
        _reported = [.. _reportedPrefixes];
    }

    /// <summary>Composes <paramref name="options"/>, or throws listing every problem.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The composition.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid; each failure is <c>$.path: message</c>.</exception>
    public static MeshGatewayComposition Compose(MeshGatewayOptions options) =>
        TryCompose(options, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors)
            ? composition!
            : throw new OptionsValidationException(nameof(MeshGatewayOptions), typeof(MeshGatewayOptions), errors.Select(e => e.ToString()));

    /// <summary>Composes <paramref name="options"/>, or reports every problem.</summary>
    /// <param name="options">The options.</param>
    /// <param name="composition">The composition, or <see langword="null"/> when there are errors.</param>
    /// <param name="errors">Every problem, each at its path; empty on success.</param>
    /// <returns><see langword="true"/> when composed.</returns>
    public static bool TryCompose(MeshGatewayOptions options, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors) =>
        TryCompose(options, reported: null, out composition, out errors);

    /// <summary>
    /// Composes options that a reader (a configuration binder) built, some of whose values it could not read: nothing
    /// more is reported at a path in <paramref name="reported"/> or under it (a value that was not a string is not
    /// also "required").
    /// </summary>
    /// <param name="options">The options as read.</param>
    /// <param name="reported">The reader's own problems; they are not repeated in <paramref name="errors"/>.</param>
    /// <param name="composition">The composition, or <see langword="null"/> when there are errors (the reader's included).</param>
    /// <param name="errors">The composer's problems, each at its path.</param>
    /// <returns><see langword="true"/> when composed and <paramref name="reported"/> is empty.</returns>
    public static bool TryCompose(
        MeshGatewayOptions options,
        IReadOnlyList<MeshGatewayOptionsProblem>? reported,
        out MeshGatewayComposition? composition,
        out IReadOnlyList<MeshGatewayOptionsProblem> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        var composer = new MeshGatewayComposer(options, reported);
        composition = composer.Compose(reported is { Count: > 0 });
        errors = composer._errors;
        return composition is not null;
    }

    private MeshGatewayComposition? Compose(bool readerFailed)
    {
        CheckIdentity();
        List<IPEndPoint> listeners = CheckListeners();
        CheckServices();
        CheckRemoteGateways();
        string? defaultMode = CheckMode(_options.DefaultMode, Path(nameof(MeshGatewayOptions.DefaultMode)));
        List<IPEndPoint?> upstreamListeners = CheckUpstreams();
        Modes.ConfigEntries.ConsulModeCatalog? entries = ReadEntries();
        CheckConsul();
        CheckTimeouts();
        CheckLimits();
        if (_errors.Count > 0 || readerFailed)
        {
            return null;
        }

        IUpstreamPreambleWriter? preamble = _options.ProxyProtocol switch
        {
            ProxyProtocolVersion.V1 => ProxyProtocolV1Writer.Instance,
            ProxyProtocolVersion.V2 => ProxyProtocolV2Writer.Instance,
            _ => null,
        };
        return _options.Mode == MeshGatewayRole.UpstreamListener
            ? ComposeSidecar(preamble, defaultMode, upstreamListeners, entries)
            : ComposeGateway(preamble, listeners);
    }

    private void CheckIdentity()
    {
        CheckName(Required(_options.Datacenter, Path(nameof(MeshGatewayOptions.Datacenter))), Path(nameof(MeshGatewayOptions.Datacenter)), MeshGatewayNames.DatacenterProblem, "datacenter");
        CheckName(_options.Partition, Path(nameof(MeshGatewayOptions.Partition)), MeshGatewayNames.LabelProblem, "partition");
        // A gateway that follows Consul reads the trust domain from the agent's CA roots unless it is given.
        string? trustDomain = _options.Consul is not null && _options.Mode == MeshGatewayRole.MeshGateway
            ? _options.TrustDomain
            : Required(_options.TrustDomain, Path(nameof(MeshGatewayOptions.TrustDomain)));
        CheckName(trustDomain, Path(nameof(MeshGatewayOptions.TrustDomain)), MeshGatewayNames.NameProblem, "trust domain");
    }

    private List<IPEndPoint> CheckListeners()
    {
        string[] path = Path(nameof(MeshGatewayOptions.Listeners));
        var listeners = new List<IPEndPoint>();
        for (int i = 0; i < _options.Listeners.Count; i++)
        {
            if (ListenAddress(_options.Listeners[i], Index(path, i)) is { } endPoint)
            {
                listeners.Add(endPoint);
            }
        }

        if (_options.Mode == MeshGatewayRole.MeshGateway && listeners.Count == 0 && !IsReported(path))
        {
            Error(path, "a mesh gateway needs at least one listener address.");
        }

        return listeners;
    }

    private void CheckTimeouts()
    {
        MeshGatewayTimeoutOptions timeouts = _options.Timeouts;
        string[] path = Path(nameof(MeshGatewayOptions.Timeouts));
        Duration(timeouts.Sniff, Child(path, nameof(MeshGatewayTimeoutOptions.Sniff)), allowZero: false);
        Duration(timeouts.Route, Child(path, nameof(MeshGatewayTimeoutOptions.Route)), allowZero: false);
        Duration(timeouts.Connect, Child(path, nameof(MeshGatewayTimeoutOptions.Connect)), allowZero: false);
        Duration(timeouts.Idle, Child(path, nameof(MeshGatewayTimeoutOptions.Idle)), allowZero: false);
        Duration(timeouts.HalfClosed, Child(path, nameof(MeshGatewayTimeoutOptions.HalfClosed)), allowZero: false);
        Duration(timeouts.Drain, Child(path, nameof(MeshGatewayTimeoutOptions.Drain)), allowZero: true);
        if (_options.Metrics.PrintInterval is { } interval)
        {
            Duration(interval, Path(nameof(MeshGatewayOptions.Metrics), nameof(MeshGatewayMetricsOptions.PrintInterval)), allowZero: false);
        }
    }

    private void CheckLimits()
    {
        // The ranges of ForwarderOptions' [Range] attributes, checked here so that each error has its path.
        MeshGatewayLimitOptions limits = _options.Limits;
        string[] path = Path(nameof(MeshGatewayOptions.Limits));
        Range(limits.MaxConnections, Child(path, nameof(MeshGatewayLimitOptions.MaxConnections)), 1, int.MaxValue);
        Range(limits.MaxClientHelloBytes, Child(path, nameof(MeshGatewayLimitOptions.MaxClientHelloBytes)), 256, ForwarderOptions.MaxClientHelloBytesLimit);
        Range(limits.MaxConnectAttempts, Child(path, nameof(MeshGatewayLimitOptions.MaxConnectAttempts)), 1, 16);
        Range(limits.BufferSize, Child(path, nameof(MeshGatewayLimitOptions.BufferSize)), 1024, 4 * 1024 * 1024);
    }

    private void Duration(TimeSpan value, string[] path, bool allowZero)
    {
        if (IsReported(path) || (value >= ForwarderDuration.Min && value <= ForwarderOptions.MaxTimeout) || (allowZero && value == TimeSpan.Zero))
        {
            return;
        }

        Error(path, string.Create(
            CultureInfo.InvariantCulture,
            $"expected a duration from {(allowZero ? "0 or " : string.Empty)}\"1ms\" to \"{ForwarderOptions.MaxTimeout.TotalMilliseconds:F0}ms\" (about 49.7 days), got {value}."));
    }

    private void Range(int value, string[] path, int min, int max)
    {
        if (!IsReported(path) && (value < min || value > max))
        {
            Error(path, string.Create(CultureInfo.InvariantCulture, $"expected an integer from {min} to {max}, got {value}."));
        }
    }
}
