// A console tool has no SynchronizationContext; `await using` of many locals reads better without ConfigureAwait wrappers.
#pragma warning disable CA2007
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using MeshGateway.Forwarding;
using MeshGateway.Modes;
using MeshGateway.Naming;

namespace MeshGateway.Cli.Commands.Demo;

/// <summary>Runs the demo: every process-local piece on 127.0.0.1 with ephemeral ports, then one client per mode.</summary>
internal static class DemoRunner
{
    private const string TrustDomain = "7c2a4c5e-0b1d-4f3e-9a8b-6d5e4c3b2a10.consul";
    private const int PayloadBytes = 64 * 1024;
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    /// <summary>The three cases: mode, the config layer that sets it, and the layers as Consul would merge them.</summary>
    private static readonly (MeshGatewayMode Mode, MeshGatewayModeLayers Layers)[] Cases =
    [
        (MeshGatewayMode.None, new MeshGatewayModeLayers(ServiceDefaults: MeshGatewayMode.None, ProxyDefaults: MeshGatewayMode.Local)),
        (MeshGatewayMode.Local, new MeshGatewayModeLayers(ProxyDefaults: MeshGatewayMode.Local)),
        (MeshGatewayMode.Remote, new MeshGatewayModeLayers(Upstream: MeshGatewayMode.Remote, ProxyDefaults: MeshGatewayMode.Local)),
    ];

    /// <summary>Returns 0 when all three paths worked, 1 otherwise.</summary>
    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        string sni = ConsulSni.Service("db", null, null, null, "dc2", TrustDomain);
        var hops = new HopRecorder();

        await using DemoService db = new(sni);
        await using TcpForwarder dc2Gateway = new TcpForwarderBuilder()
            .UseRouteResolver(new MeshGatewayRouterBuilder("dc2", null, TrustDomain).AddLocalService("db", [new UpstreamEndpoint(db.EndPoint)]).Build())
            .AddObserver(hops.For("dc2 mesh gateway", order: 2))
            .Build();
        await using ForwarderListener dc2Listener = new(dc2Gateway, AnyLoopbackPort);
        dc2Listener.Start();
        await using TcpForwarder dc1Gateway = new TcpForwarderBuilder()
            .UseRouteResolver(new MeshGatewayRouterBuilder("dc1", null, TrustDomain).AddRemoteGateway("dc2", [new UpstreamEndpoint(dc2Listener.LocalEndPoint!)]).Build())
            .AddObserver(hops.For("dc1 mesh gateway", order: 1))
            .Build();
        await using ForwarderListener dc1Listener = new(dc1Gateway, AnyLoopbackPort);
        dc1Listener.Start();

        string serviceThumbprint = db.Certificate.GetCertHashString(HashAlgorithmName.SHA256);
        output.WriteLine("meshgw demo: a client in dc1 reaches a TLS service in dc2 through mesh gateways, all on 127.0.0.1.");
        output.WriteLine($"  service db (dc2)      {db.EndPoint,-21}  SNI {sni}");
        output.WriteLine($"                                              certificate SHA-256 {Short(serviceThumbprint)} (self-signed, made now)");
        output.WriteLine($"  mesh gateway dc2      {dc2Listener.LocalEndPoint,-21}  serves db.default.dc2.internal.<trust domain>");
        output.WriteLine($"  mesh gateway dc1      {dc1Listener.LocalEndPoint,-21}  serves *.dc2.internal.<trust domain> -> dc2's gateway");
        output.WriteLine();

        var endpoints = new SidecarUpstreamEndpoints(
            TargetInstances: [new UpstreamEndpoint(db.EndPoint)],
            LocalGateways: [new UpstreamEndpoint(dc1Listener.LocalEndPoint!)],
            RemoteGateways: [new UpstreamEndpoint(dc2Listener.LocalEndPoint!)]);
        int worked = 0;
        foreach ((MeshGatewayMode mode, MeshGatewayModeLayers layers) in Cases)
        {
            MeshGatewayResolution resolution = MeshGatewayModeResolver.Resolve(layers, new UpstreamTarget(LocalDatacenter: "dc1", TargetDatacenter: "dc2"));
            bool ok = await RunCaseAsync(output, hops, sni, serviceThumbprint, resolution, endpoints, deadline.Token).ConfigureAwait(false);
            worked += ok && resolution.Mode == mode ? 1 : 0;
        }

        output.WriteLine(worked == Cases.Length
            ? "all 3 paths worked: same TLS session end to end, the gateways only read the SNI and never decrypted."
            : $"{worked} of {Cases.Length} paths worked.");
        return worked == Cases.Length ? 0 : 1;
    }

    private static async Task<bool> RunCaseAsync(
        TextWriter output,
        HopRecorder hops,
        string sni,
        string serviceThumbprint,
        MeshGatewayResolution resolution,
        SidecarUpstreamEndpoints endpoints,
        CancellationToken cancellationToken)
    {
        hops.Reset();
        output.WriteLine($"mode {Name(resolution.Mode)}: decided by {Layer(resolution.Source)}; dial path {resolution.Path}");

        // The client's local upstream listener (what a sidecar gives an app): it dials the path the mode chose.
        await using TcpForwarder sidecar = new TcpForwarderBuilder()
            .UseSniffing(false)
            .UseRouteResolver(SidecarUpstreamRoute.CreateResolver("db", resolution, endpoints))
            .AddObserver(hops.For("dc1 upstream listener", order: 0))
            .Build();
        await using ForwarderListener listener = new(sidecar, AnyLoopbackPort);
        listener.Start();
        try
        {
            string seen;
            byte[] payload = RandomNumberGenerator.GetBytes(PayloadBytes);
            byte[] echoed = new byte[payload.Length];
            using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
            {
                await socket.ConnectAsync(listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
                var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
                await using ConfiguredAsyncDisposable tlsScope = tls.ConfigureAwait(false);
                string? presented = null;
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = sni,
                        // Trust exactly the service's certificate: a gateway that terminated TLS could not present it.
                        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                        {
                            presented = certificate?.GetCertHashString(HashAlgorithmName.SHA256);
                            return presented == serviceThumbprint;
                        },
                    },
                    cancellationToken).ConfigureAwait(false);
                seen = presented!;
                await tls.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
                await tls.ReadExactlyAsync(echoed, cancellationToken).ConfigureAwait(false);
                await tls.ShutdownAsync().ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Send);
            }

            ForwardingResult result = await hops.FirstHopClosed.WaitAsync(cancellationToken).ConfigureAwait(false);
            bool intact = payload.AsSpan().SequenceEqual(echoed);
            output.WriteLine($"  hops: dc1 client -> {string.Join(" -> ", hops.Hops)} -> db (dc2)");
            output.WriteLine($"  bytes: {result.BytesFromClient} client->service, {result.BytesToClient} service->client (TLS records; {PayloadBytes} B payload echoed {(intact ? "intact" : "CORRUPTED")})");
            output.WriteLine($"  certificate: client saw {Short(seen)}, service uses {Short(serviceThumbprint)}: {(seen == serviceThumbprint ? "unchanged, never decrypted" : "DIFFERENT")}");
            output.WriteLine($"  {(intact ? "ok" : "FAILED")}");
            output.WriteLine();
            return intact && seen == serviceThumbprint;
        }
        catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            output.WriteLine($"  FAILED: {e.Message}");
            output.WriteLine();
            return false;
        }
    }

    private static string Name(MeshGatewayMode mode) => mode.ToString().ToLowerInvariant();

    private static string Layer(MeshGatewayModeSource source) => source switch
    {
        MeshGatewayModeSource.Upstream => "the upstream's own config (layer Upstream)",
        MeshGatewayModeSource.ServiceDefaults => "the source service's service-defaults (layer ServiceDefaults)",
        MeshGatewayModeSource.ProxyDefaults => "the global proxy-defaults (layer ProxyDefaults)",
        _ => $"layer {source}",
    };

    private static string Short(string thumbprint) => thumbprint.Length > 16 ? $"{thumbprint[..16]}…" : thumbprint;
}
