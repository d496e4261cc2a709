// The mesh gateway `meshgw run` runs, and a sidecar with mode-resolved upstreams, from the public API alone.
#pragma warning disable CA2007 // A console app has no SynchronizationContext.
using System.Net;
using MeshGateway.Forwarding;

// Gateway: local services by exact SNI, each remote datacenter by *.<its gateway SNI>; anything else is closed.
IReadOnlyList<ListenerPlan> gateway = new MeshGatewayRouterBuilder("dc1", partition: null, "11111111-2222-3333-4444-555555555555.consul")
    .AddLocalService("web", [UpstreamEndpoint.Parse("127.0.0.1:9090")])
    .AddRemoteGateway("dc2", [UpstreamEndpoint.Parse("127.0.0.1:9443")])
    .BuildListeners(new IPEndPoint(IPAddress.Loopback, 8443));

// Sidecar: one listener per upstream; MeshGateway.Modes picks each dial path with Consul's precedence.
IReadOnlyList<ListenerPlan> sidecar = new SidecarBuilder("dc1") { Modes = { ProxyDefaults = "local" } }
    .AddUpstream("db", new IPEndPoint(IPAddress.Loopback, 9191), new SidecarUpstreamEndpoints(
        TargetInstances: [UpstreamEndpoint.Parse("127.0.0.1:7001")],
        LocalGateways: [UpstreamEndpoint.Parse("127.0.0.1:8443")],
        RemoteGateways: [UpstreamEndpoint.Parse("127.0.0.1:9443")]), targetDatacenter: "dc2")
    .Build();

await using ForwarderGroup running = await ForwarderGroup.StartAsync([.. gateway, .. sidecar]);
foreach (ListenerPlan plan in running.Plans)
{
    Console.WriteLine($"listening on {plan.EndPoint}: {plan.Description}");
}

// Ctrl+C stops accepting; disposing drains open connections within ForwarderOptions.DrainTimeout.
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
await (args is ["--once"] ? Task.CompletedTask : stop.Task);
