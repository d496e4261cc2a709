using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>The pipe entry point: a client handed over as System.IO.Pipelines, spliced to a real upstream socket.</summary>
public class PipeAdapterTests
{
    [Fact]
    public async Task Pipe_client_is_sniffed_routed_and_spliced_both_ways_with_half_close()
    {
        byte[] hello = CaptureFiles.ClientHello("curl.bin");
        using Socket upstreamListener = Loopback.Listen();
        var observer = new RecordingObserver();
        var options = new ForwarderOptions();
        var cluster = new UpstreamClusterOptions();
        cluster.Endpoints.Add(upstreamListener.LocalEndPoint!.ToString()!);
        options.Clusters["any"] = cluster;
        options.Routes.Add(new ForwardRouteOptions { Sni = "*", Cluster = "any" });
        await using TcpForwarder forwarder = new TcpForwarderBuilder(options).AddObserver(observer).Build();
        var fromClient = new Pipe();
        var toClient = new Pipe();

        Task<ForwardingResult> forwarding = forwarder.ForwardAsync(new DuplexPipe(fromClient.Reader, toClient.Writer), null, null, TestContext.Current.CancellationToken);

        // The hello arrives in two pieces, then the client finishes sending.
        await fromClient.Writer.WriteAsync(hello.AsMemory(0, 100), TestContext.Current.CancellationToken);
        await fromClient.Writer.WriteAsync(hello.AsMemory(100), TestContext.Current.CancellationToken);
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        await fromClient.Writer.CompleteAsync();
        Assert.Equal(hello, await Loopback.ReadToEndAsync(upstream));

        byte[] reply = RandomNumberGenerator.GetBytes(500_000);
        await Loopback.SendAllAsync(upstream, reply);
        upstream.Shutdown(SocketShutdown.Send);
        Assert.Equal(reply, await ReadAllAsync(toClient.Reader));

        ForwardingResult result = await forwarding;
        Assert.Equal(CloseCause.ClientClosed, result.Cause);
        Assert.Equal(hello.Length, result.BytesFromClient);
        Assert.Equal(reply.Length, result.BytesToClient);
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        var all = new List<byte>();
        while (true)
        {
            ReadResult result = await reader.ReadAsync(TestContext.Current.CancellationToken);
            all.AddRange(result.Buffer.ToArray());
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return [.. all];
            }
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
