using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Infrastructure;

/// <summary>
/// A sniffing forwarder whose listener is held at its connection cap by one silent client, so that the clients a test
/// connects next wait in the kernel's accept queue with whatever they sent; <see cref="Release"/> lifts the cap and
/// the listener takes them as it takes a burst under load. Linux only (the queue is read with <c>TCP_INFO</c>).
/// </summary>
internal sealed class HeldAccept : IAsyncDisposable
{
    private readonly Socket _holder;

    private HeldAccept(ForwarderHarness harness, Socket holder, int maxClientHelloBytes)
    {
        Harness = harness;
        _holder = holder;
        MaxClientHelloBytes = maxClientHelloBytes;
    }

    public ForwarderHarness Harness { get; }

    private int MaxClientHelloBytes { get; }

    /// <summary>Starts the forwarder (every connection routed to <paramref name="upstream"/>) and fills its one slot.</summary>
    public static async Task<HeldAccept> StartAsync(System.Net.EndPoint upstream, int maxClientHelloBytes = 16 * 1024)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the listener's own accept loop is Linux only");
        ForwarderHarness harness = ForwarderHarness.Start(b =>
        {
            b.Options.MaxConnections = 1;
            b.Options.MaxClientHelloBytes = maxClientHelloBytes;
            b.UseRouteResolver(ForwarderHarness.StaticRoute(upstream));
        });
        Socket holder = await harness.ConnectAsync();
        await harness.Observer.NextAcceptedAsync();
        await Eventually.TrueAsync(() => harness.Forwarder.ActiveConnections == 1);
        return new HeldAccept(harness, holder, maxClientHelloBytes);
    }

    /// <summary>Waits until the kernel holds <paramref name="count"/> connections in the listener's accept queue.</summary>
    public Task WaitQueuedAsync(int count) => Eventually.TrueAsync(() => Harness.Listener.QueuedConnections() == count);

    /// <summary>Lifts the cap: the listener accepts what is queued.</summary>
    public void Release() =>
        Harness.Forwarder.UpdateOptions(new ForwarderOptions { MaxConnections = 100, MaxClientHelloBytes = MaxClientHelloBytes });

    public async ValueTask DisposeAsync()
    {
        _holder.Dispose();
        await Harness.DisposeAsync();
    }
}
