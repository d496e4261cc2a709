using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using MeshGateway.Consul.Json;
using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Consul.Watch;

public sealed partial class ConsulMeshWatcher
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, CancellationTokenSource> serviceWatches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CancellationTokenSource> gatewayWatches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ConsulServiceEndpoint>> services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ConsulGatewayEndpoint>> gateways = new(StringComparer.Ordinal);
    private readonly List<Task> childLoops = [];
    private string? trustDomain;
    private byte[]? proxyDefaults;
    private byte[]? serviceDefaults;
    private bool modesRead;
    private ConsulModeCatalog? modes;
    private IReadOnlyList<ConsulConfigError> modeErrors = [];
    private FrozenDictionary<string, ConsulServiceResolver> resolvers = FrozenDictionary<string, ConsulServiceResolver>.Empty;

    /// <summary>
    /// The service list changed: watch each service that can carry routes (not Consul itself, not sidecar proxies —
    /// <c>/v1/health/connect</c> of their destination returns them — and not the mesh gateways), stop watching the rest.
    /// </summary>
    private void ApplyServiceList(byte[]? body)
    {
        IReadOnlyDictionary<string, List<string>> listed = ConsulResponseReader.ReadServices(body);
        var wanted = listed.Keys.Where(CarriesRoutes).ToHashSet(StringComparer.Ordinal);
        if (Reconcile(serviceWatches, wanted, services, service => StartChild(
                "/v1/health/connect/" + Uri.EscapeDataString(service), "passing", body => ApplyEndpoints(service, body))))
        {
            Publish();
        }
    }

    private bool CarriesRoutes(string service) =>
        service.Length > 0
        && !string.Equals(service, "consul", StringComparison.Ordinal)
        && !service.EndsWith("-sidecar-proxy", StringComparison.Ordinal)
        && !string.Equals(service, options.GatewayServiceName, StringComparison.Ordinal);

    private void ApplyEndpoints(string service, byte[]? body)
    {
        if (Replace(services, service, ConsulResponseReader.ReadConnectEndpoints(service, body)))
        {
            Publish();
        }
    }

    /// <summary>The datacenter list changed: watch the mesh gateways of every other datacenter.</summary>
    private void ApplyDatacenters(byte[]? body)
    {
        var wanted = ConsulResponseReader.ReadDatacenters(body)
            .Where(dc => !string.Equals(dc, Datacenter, StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        if (Reconcile(gatewayWatches, wanted, gateways, dc => StartChild(
                "/v1/health/service/" + Uri.EscapeDataString(options.GatewayServiceName),
                "dc=" + Uri.EscapeDataString(dc) + "&passing",
                body => ApplyGateways(dc, body))))
        {
            Publish();
        }
    }

    private void ApplyGateways(string datacenter, byte[]? body)
    {
        if (Replace(gateways, datacenter, ConsulResponseReader.ReadGateways(datacenter, body)))
        {
            Publish();
        }
    }

    /// <summary>
    /// Stops the watches of keys no longer <paramref name="wanted"/> (dropping their state) and starts watches for new
    /// ones; true when state was dropped.
    /// </summary>
    private static bool Reconcile<T>(
        Dictionary<string, CancellationTokenSource> watches,
        HashSet<string> wanted,
        Dictionary<string, IReadOnlyList<T>> state,
        Func<string, CancellationTokenSource> start)
    {
        bool removed = false;
        foreach (string gone in watches.Keys.Where(key => !wanted.Contains(key)).ToArray())
        {
            watches.Remove(gone, out CancellationTokenSource? watch);
            watch!.Cancel();
            removed |= state.Remove(gone);
        }

        foreach (string key in wanted.Where(key => !watches.ContainsKey(key)))
        {
            watches[key] = start(key);
        }

        return removed;
    }

    /// <summary>Sets (or, when empty, removes) the items of <paramref name="key"/>; true when that changed anything.</summary>
    private static bool Replace<T>(Dictionary<string, IReadOnlyList<T>> state, string key, List<T> items)
    {
        IReadOnlyList<T>? before = state.GetValueOrDefault(key);
        if (items.Count == 0 ? before is null : before is not null && before.SequenceEqual(items))
        {
            return false;
        }

        if (items.Count == 0)
        {
            state.Remove(key);
        }
        else
        {
            state[key] = items.AsReadOnly();
        }

        return true;
    }

    private void ApplyTrustDomain(byte[]? body)
    {
        string? domain = ConsulResponseReader.ReadTrustDomain(body);
        if (!string.Equals(domain, trustDomain, StringComparison.Ordinal))
        {
            trustDomain = domain;
            Publish();
        }
    }

    /// <summary>The <c>service-resolver</c> entries changed (or are gone: 404): their subsets, by service name.</summary>
    private void ApplyServiceResolvers(byte[]? body)
    {
        List<ConsulServiceResolver> read = body is null ? [] : ConsulResponseReader.ReadServiceResolvers(body);
        var next = new Dictionary<string, ConsulServiceResolver>(StringComparer.Ordinal);
        foreach (ConsulServiceResolver resolver in read)
        {
            next[resolver.Service] = resolver;
        }

        if (next.Count == resolvers.Count && next.All(p => resolvers.TryGetValue(p.Key, out ConsulServiceResolver? before) && before == p.Value))
        {
            return;
        }

        resolvers = next.ToFrozenDictionary(StringComparer.Ordinal);
        Publish();
    }

    private void ApplyProxyDefaults(byte[]? body)
    {
        if (modesRead && SameBytes(proxyDefaults, body))
        {
            return;
        }

        proxyDefaults = body;
        ReadModes();
    }

    private void ApplyServiceDefaults(byte[]? body)
    {
        if (modesRead && SameBytes(serviceDefaults, body))
        {
            return;
        }

        serviceDefaults = body;
        ReadModes();
    }

    /// <summary>
    /// Reads both config-entry answers with MeshGateway.Modes' reader, as one combined document
    /// (<c>{"Datacenter": …, "ConfigEntries": [proxy-defaults, service-defaults…]}</c>); on errors the last good catalog stays.
    /// </summary>
    private void ReadModes()
    {
        modesRead = true;
        ConsulConfigReadResult result;
        try
        {
            result = ConsulConfigReader.Read(CombinedEntries(), ConsulConfigFormat.Json, "consul:/v1/config");
        }
        catch (JsonException e)
        {
            modeErrors = [new ConsulConfigError("document", "", "unreadable answer from /v1/config: " + e.Message)];
            ConsulLog.ModeErrors(logger, 1, modeErrors[0].Message);
            Publish();
            return;
        }

        modeErrors = result.Errors;
        if (result.Succeeded)
        {
            modes = result.Catalog;
        }
        else
        {
            ConsulLog.ModeErrors(logger, result.Errors.Count, result.Errors[0].ToString());
        }

        Publish();
    }

    private byte[] CombinedEntries()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(nameof(Datacenter), Datacenter);
            if (client.Partition is { } partition)
            {
                writer.WriteString("Partition", partition);
            }

            writer.WriteStartArray("ConfigEntries");
            if (proxyDefaults is { Length: > 0 })
            {
                using JsonDocument entry = JsonDocument.Parse(proxyDefaults);
                entry.RootElement.WriteTo(writer);
            }

            if (serviceDefaults is { Length: > 0 })
            {
                using JsonDocument list = JsonDocument.Parse(serviceDefaults);
                if (list.RootElement.ValueKind != JsonValueKind.Array)
                {
                    throw new JsonException("expected an array of service-defaults entries");
                }

                foreach (JsonElement entry in list.RootElement.EnumerateArray())
                {
                    entry.WriteTo(writer);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool SameBytes(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private CancellationTokenSource StartChild(string path, string query, Action<byte[]?> apply)
    {
        var watch = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        childLoops.RemoveAll(t => t.IsCompleted);
        childLoops.Add(Watch(path, query, notFoundIsEmpty: false, apply, watch.Token).ContinueWith(
            static (_, state) => ((CancellationTokenSource)state!).Dispose(), watch, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
        return watch;
    }

    /// <summary>Builds the next snapshot from the state (under <see cref="gate"/>), swaps it in and signals waiters.</summary>
    private void Publish()
    {
        ConsulMeshSnapshot next = new(
            Current.Version + 1,
            Datacenter,
            trustDomain,
            services.ToFrozenDictionary(StringComparer.Ordinal),
            gateways.ToFrozenDictionary(StringComparer.Ordinal),
            modes,
            modeErrors,
            resolvers);
        Volatile.Write(ref current, next);
        Interlocked.Exchange(ref changed, NewSignal()).TrySetResult();
        ConsulLog.Published(logger, next.Version, next.LocalServices.Count, next.RemoteDatacenters.Count);
        if (SnapshotChanged is { } handlers)
        {
            ThreadPool.QueueUserWorkItem(static s => s.handlers(s.self, s.next), (handlers, self: this, next), preferLocal: false);
        }
    }
}
