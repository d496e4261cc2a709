using System.Net;
using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>
/// The accept loop survives transient accept failures and surfaces a real death (issue 14 item 1). The failures are
/// injected at the accept call (errno values as Linux reports them); the child-process test in
/// tests/MeshGateway.Cli.Tests/Processes/GatewayEdgeProcessTests runs a real low descriptor limit.
/// </summary>
public class AcceptFailureTests
{
    [Theory]
    [InlineData(SocketError.TooManyOpenSockets, "ENFILE")] // injected while the process is far below its own limit
    [InlineData(SocketError.NoBufferSpaceAvailable, "ENOBUFS")]
    [InlineData(SocketError.ConnectionAborted, "ECONNABORTED")]
    public async Task Transient_accept_failures_are_logged_once_with_the_errno_and_accepting_goes_on(SocketError error, string errno)
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        var observer = new RecordingObserver();
        TcpForwarder forwarder = new TcpForwarderBuilder().UseLoggerFactory(loggerFactory).AddObserver(observer).Build();
        await using var _ = forwarder;
        var listener = new ForwarderListener(forwarder, new IPEndPoint(IPAddress.Loopback, 0));
        await using var __ = listener;
        int failuresLeft = 5;
        listener.Accept = (socket, token) => Interlocked.Decrement(ref failuresLeft) >= 0
            ? ValueTask.FromException<Socket>(new SocketException((int)error))
            : socket.AcceptAsync(token);
        listener.Start();

        using Socket client = await Loopback.ConnectAsync(listener.LocalEndPoint!);
        await Loopback.SendAllAsync(client, "not tls"u8.ToArray());
        var (_, result) = await observer.NextClosedAsync();

        Assert.Equal(CloseCause.NotTls, result.Cause);
        Assert.False(listener.Completion.IsCompleted);
        var records = logs.GetSnapshot();
        FakeLogRecord failed = Assert.Single(records, r => r.Id.Id == 14); // rate-limited: five failures, one line
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Contains(errno, failed.Message, StringComparison.Ordinal);
        Assert.Matches(@"(\d+|unknown)/(\d+|unlimited|unknown) descriptors in use", failed.Message);
        FakeLogRecord recovered = Assert.Single(records, r => r.Id.Id == 15);
        Assert.Contains("after 5 failure(s)", recovered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listener_whose_socket_fails_for_good_faults_its_completion()
    {
        TcpForwarder forwarder = new TcpForwarderBuilder().Build();
        await using var _ = forwarder;
        await using ForwarderListener listener = StartDyingListener(forwarder);

        var error = await Assert.ThrowsAsync<SocketException>(() => listener.Completion);
        Assert.Equal(SocketError.NotSocket, error.SocketErrorCode);
    }

    [Fact]
    public async Task Gateway_host_ends_with_exit_code_1_and_the_reason_when_its_listener_dies()
    {
        TcpForwarder forwarder = new TcpForwarderBuilder().Build();
        await using var _ = forwarder;
        await using ForwarderListener listener = StartDyingListener(forwarder);
        var error = new StringWriter();

        int code = await MeshGateway.Cli.Commands.Gateway.GatewayRunner.WaitAsync(listener, listener.EndPoint, error, TestContext.Current.CancellationToken);

        Assert.Equal(1, code);
        Assert.StartsWith("listener on 127.0.0.1:0 failed: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopped_listener_completes_successfully()
    {
        TcpForwarder forwarder = new TcpForwarderBuilder().Build();
        await using var _ = forwarder;
        var listener = new ForwarderListener(forwarder, new IPEndPoint(IPAddress.Loopback, 0));
        listener.Start();

        await listener.StopAsync(TestContext.Current.CancellationToken);

        await listener.Completion;
    }

    /// <summary>A listener whose accept fails as a closed listening socket does (ENOTSOCK): not transient.</summary>
    private static ForwarderListener StartDyingListener(TcpForwarder forwarder)
    {
        var listener = new ForwarderListener(forwarder, new IPEndPoint(IPAddress.Loopback, 0))
        {
            Accept = (_, _) => ValueTask.FromException<Socket>(new SocketException((int)SocketError.NotSocket)),
        };
        listener.Start();
        return listener;
    }
}
