using System.Buffers;
using System.IO.Pipelines;

namespace MeshGateway.Forwarding.Tests.Engine;

/// <summary>
/// The far end of an in-memory connection: the engine holds <see cref="EngineEnd"/> (as a pipe side); the test
/// writes what the peer sends, reads what the engine sent it, and ends the stream with a FIN or a reset.
/// </summary>
internal sealed class MemoryPeer
{
    private readonly Pipe _toEngine = new();
    private readonly Pipe _fromEngine = new();

    public MemoryPeer()
    {
        EngineEnd = new Duplex(_toEngine.Reader, _fromEngine.Writer);
    }

    /// <summary>The engine's view: its input is what this peer sent, its output comes back here.</summary>
    public IDuplexPipe EngineEnd { get; }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) =>
        await _toEngine.Writer.WriteAsync(bytes, TestContext.Current.CancellationToken);

    /// <summary>The peer's FIN: nothing more will be sent.</summary>
    public void Finish() => _toEngine.Writer.Complete();

    /// <summary>The peer's RST: the engine's next read fails.</summary>
    public void Reset() => _toEngine.Writer.Complete(new IOException("connection reset by the in-memory peer"));

    /// <summary>Exactly <paramref name="count"/> bytes the engine sent this peer.</summary>
    public async Task<byte[]> ReceiveExactlyAsync(int count)
    {
        while (true)
        {
            ReadResult result = await _fromEngine.Reader.ReadAsync(TestContext.Current.CancellationToken);
            if (result.Buffer.Length >= count)
            {
                byte[] bytes = result.Buffer.Slice(0, count).ToArray();
                _fromEngine.Reader.AdvanceTo(result.Buffer.GetPosition(count));
                return bytes;
            }

            Assert.False(result.IsCompleted, $"the engine ended the stream after {result.Buffer.Length} of {count} bytes");
            _fromEngine.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Everything the engine sends this peer until it ends the stream (its FIN or its close).</summary>
    public async Task<byte[]> ReceiveToEndAsync()
    {
        while (true)
        {
            ReadResult result = await _fromEngine.Reader.ReadAsync(TestContext.Current.CancellationToken);
            if (result.IsCompleted)
            {
                byte[] bytes = result.Buffer.ToArray();
                _fromEngine.Reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            _fromEngine.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
