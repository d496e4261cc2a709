using System.Net.Sockets;
using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Hosting;

/// <summary>Which accept failures the listener survives, and how they are named in its log (issue 14 item 1).</summary>
public class AcceptErrorsTests
{
    [Theory]
    [InlineData(SocketError.TooManyOpenSockets)]
    [InlineData(SocketError.NoBufferSpaceAvailable)]
    [InlineData(SocketError.ConnectionAborted)]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.NetworkDown)]
    [InlineData(SocketError.HostUnreachable)]
    [InlineData(SocketError.AccessDenied)]
    public void Descriptor_memory_and_queued_network_errors_are_transient(SocketError error) =>
        Assert.True(AcceptErrors.IsTransient(new SocketException((int)error)));

    [Theory]
    [InlineData(SocketError.NotSocket)]
    [InlineData(SocketError.InvalidArgument)]
    [InlineData(SocketError.OperationAborted)]
    public void Errors_of_the_listening_socket_itself_are_not(SocketError error) =>
        Assert.False(AcceptErrors.IsTransient(new SocketException((int)error)));

    [Theory]
    [InlineData(1024, 1024, "EMFILE")] // at the process limit
    [InlineData(-1, 1024, "EMFILE")] // no descriptor left even to count them
    [InlineData(100, 1024, "ENFILE")] // far below it: the system-wide table is full
    public void Too_many_open_files_is_told_apart_by_the_process_count(int open, long limit, string expected) =>
        Assert.Equal(expected, AcceptErrors.Name(new SocketException((int)SocketError.TooManyOpenSockets), open, limit));

    [Fact]
    public void Other_errors_carry_their_errno_name() =>
        Assert.Equal("ENOBUFS", AcceptErrors.Name(new SocketException((int)SocketError.NoBufferSpaceAvailable), 10, 1024));
}
