using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>
/// The listener on its own readiness loop takes every connection queued at a wake-up before it waits again (up to
/// <see cref="ForwarderListener.MaxAcceptBatch"/>), as HAProxy's <c>tune.maxaccept</c> does, and never blocks doing so.
/// </summary>
public class AcceptBatchTests
{
    [Fact]
    public async Task Accept_queue_length_counts_the_connections_the_kernel_holds_for_accept()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "TCP_INFO on a listening socket is Linux only");
        using Socket listener = Loopback.Listen();
        int fd = (int)listener.SafeHandle.DangerousGetHandle();
        Assert.Equal(0, LinuxSockets.AcceptQueueLength(fd));

        var clients = new List<Socket>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                clients.Add(await Loopback.ConnectAsync(listener.LocalEndPoint!));
            }

            await Eventually.TrueAsync(() => LinuxSockets.AcceptQueueLength(fd) == 3);
            using Socket accepted = listener.Accept();
            Assert.Equal(2, LinuxSockets.AcceptQueueLength(fd));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_burst_queued_while_the_loop_was_busy_is_accepted_in_one_wake_up()
    {
        using Socket upstreamListener = Loopback.Listen();
        await using HeldAccept held = await HeldAccept.StartAsync(upstreamListener.LocalEndPoint!);
        var burst = new List<Socket>();
        try
        {
            for (int i = 0; i < 6; i++)
            {
                burst.Add(await held.Harness.ConnectAsync());
            }

            await held.WaitQueuedAsync(6);
            long before = held.Harness.Listener.AcceptBatches;
            held.Release();

            for (int i = 0; i < 6; i++)
            {
                await held.Harness.Observer.NextAcceptedAsync();
            }

            Assert.Equal(before + 1, held.Harness.Listener.AcceptBatches);
            Assert.Equal(0, held.Harness.Listener.QueuedConnections());
            Assert.Equal(7, held.Harness.Forwarder.ActiveConnections);
        }
        finally
        {
            burst.ForEach(c => c.Dispose());
        }
    }
}
