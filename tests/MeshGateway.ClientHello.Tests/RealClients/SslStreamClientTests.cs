using System.Net.Security;
using System.Security.Authentication;
using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests.RealClients;

/// <summary>
/// The ClientHello .NET's own TLS stack (SslStream over the system OpenSSL) writes right now, on this machine,
/// parsed as it is written: a real client, not a stored capture.
/// </summary>
public class SslStreamClientTests
{
    public static TheoryData<SslProtocols> Protocols => new(SslProtocols.None, SslProtocols.Tls12, SslProtocols.Tls13);

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task SslStream_client_hello_yields_its_target_host_and_alpn(SslProtocols protocols)
    {
        const string host = "api.default.dc1.internal.11111111-2222-3333-4444-555555555555.consul";
        byte[] hello = await CaptureClientHelloAsync(host, protocols);

        Outcome outcome = Parse.OneShot(hello);

        Assert.Equal(ClientHelloStatus.Done, outcome.Status);
        Assert.Equal(host, outcome.ServerName);
        Assert.Equal("h2,http/1.1", outcome.Alpn);
        Assert.Equal(hello.Length, outcome.Length);
        Assert.Equal(protocols == SslProtocols.Tls12 ? 0x0303 : 0x0304, outcome.MaxVersion);
        Assert.Equal(outcome, Parse.ByteByByte(hello));
        Assert.Equal(outcome with { Records = 3, Length = hello.Length + 10 },
            Parse.OneShot(ClientHelloBuilder.Records(ClientHelloBuilder.HandshakeStream(hello), [7, 100])));
    }

    [Fact]
    public async Task SslStream_client_hello_without_a_target_host_has_no_sni()
    {
        byte[] hello = await CaptureClientHelloAsync(targetHost: "", SslProtocols.None);

        Outcome outcome = Parse.OneShot(hello);

        Assert.Equal(ClientHelloStatus.Done, outcome.Status);
        Assert.Null(outcome.ServerName);
        Assert.StartsWith("t1", outcome.Ja4, StringComparison.Ordinal);
        Assert.Equal('i', outcome.Ja4![3]);
    }

    private static async Task<byte[]> CaptureClientHelloAsync(string targetHost, SslProtocols protocols)
    {
        var transport = new FirstFlightStream();
        using var cancel = new CancellationTokenSource();
        var ssl = new SslStream(transport);
        Task handshake = ssl.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                EnabledSslProtocols = protocols,
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            },
            cancel.Token);

        byte[] hello = await transport.FirstWrite.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        await ssl.DisposeAsync();
        return hello;
    }

    /// <summary>A transport that records the client's first flight and never answers.</summary>
    private sealed class FirstFlightStream : Stream
    {
        private readonly TaskCompletionSource<byte[]> _firstWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<byte[]> FirstWrite => _firstWrite.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => _firstWrite.TrySetResult(buffer[offset..(offset + count)]);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _firstWrite.TrySetResult(buffer.ToArray());
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
