using System.Buffers;

namespace MeshGateway.ClientHello;

/// <summary>
/// A reusable per-connection sniffer for hosts that buffer the client's first bytes and peek (never consume): each
/// call gets the whole buffered prefix; parse state is cached so repeated calls cost O(new bytes).
/// </summary>
/// <remarks>
/// Once <see cref="ClientHelloStatus.Done"/>, the hello's bytes are copied into a pooled buffer the sniffer owns, so
/// <see cref="Hello"/> and the string getters work after the caller's buffer is gone. Not thread-safe.
/// Timeouts are the caller's job; a client that sends a prefix and then stops stays at <see cref="ClientHelloStatus.NeedMoreData"/>.
/// </remarks>
public sealed class ClientHelloSniffer : IDisposable
{
    private ClientHelloParserState _state;
    private byte[]? _buffer;
    private ClientHelloLayout _layout;
    private int _messageLength;
    private bool _disposed;

    /// <summary>Creates a sniffer.</summary>
    /// <param name="options">Profile and limits; null means <see cref="ClientHelloParserOptions.Default"/>.</param>
    public ClientHelloSniffer(ClientHelloParserOptions? options = null)
    {
        Options = options ?? ClientHelloParserOptions.Default;
        _state = new ClientHelloParserState(Options);
        Status = ClientHelloStatus.NeedMoreData;
    }

    /// <summary>The options this sniffer parses with.</summary>
    public ClientHelloParserOptions Options { get; }

    /// <summary>The status of the last <c>Sniff</c> call (<see cref="ClientHelloStatus.NeedMoreData"/> before the first).</summary>
    public ClientHelloStatus Status { get; private set; }

    /// <summary>When <see cref="ClientHelloStatus.Malformed"/>: the failed check; otherwise <see cref="ClientHelloMalformedReason.None"/>.</summary>
    public ClientHelloMalformedReason MalformedReason => _state.MalformedReason;

    /// <summary>When <see cref="ClientHelloStatus.NeedMoreData"/>: the minimum further bytes known to be needed (≥ 1); otherwise 0.</summary>
    public int BytesNeeded => Status == ClientHelloStatus.NeedMoreData ? Math.Max(1, _state.BytesNeeded) : 0;

    /// <summary>When <see cref="ClientHelloStatus.Done"/>: bytes the ClientHello occupies, record headers included; otherwise 0.</summary>
    public int HelloLength => Status == ClientHelloStatus.Done ? _layout.Length : 0;

    /// <summary>The parsed hello. Valid until <see cref="Reset"/> or <see cref="Dispose"/>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Status"/> is not <see cref="ClientHelloStatus.Done"/>.</exception>
    public ClientHelloInfo Hello
    {
        get
        {
            if (Status != ClientHelloStatus.Done)
            {
                ThrowNotDone();
            }

            return new ClientHelloInfo(_buffer.AsSpan(0, _messageLength), _layout, null);
        }
    }

    /// <summary>Looks at the whole buffered prefix (the same bytes as the last call, possibly more).</summary>
    /// <param name="buffered">Every byte the client has sent so far, starting with its first.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException"><paramref name="buffered"/> is shorter than on an earlier call.</exception>
    public ClientHelloStatus Sniff(ReadOnlySequence<byte> buffered)
    {
        if (Status != ClientHelloStatus.NeedMoreData)
        {
            return Status;
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        ClientHelloStatus status = ClientHelloParser.Parse(buffered, ref _state, EnsureBuffer(), out ClientHelloInfo hello);
        return Complete(status, hello);
    }

    /// <summary>Looks at the whole buffered prefix (the same bytes as the last call, possibly more).</summary>
    /// <param name="buffered">Every byte the client has sent so far, starting with its first.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException"><paramref name="buffered"/> is shorter than on an earlier call.</exception>
    public ClientHelloStatus Sniff(ReadOnlySpan<byte> buffered)
    {
        if (Status != ClientHelloStatus.NeedMoreData)
        {
            return Status;
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        ClientHelloStatus status = ClientHelloParser.Parse(buffered, ref _state, EnsureBuffer(), out ClientHelloInfo hello);
        return Complete(status, hello);
    }

    /// <summary>
    /// The SNI host_name as a string (allocates), exactly as sent; null when the hello has none, is not parsed, or the
    /// name is not ASCII (see <see cref="ClientHelloInfo.GetServerName"/>; the bytes are in <c>Hello.ServerName</c>).
    /// </summary>
    /// <returns>The name as sent, or null.</returns>
    public string? GetServerName() => Status == ClientHelloStatus.Done ? Hello.GetServerName() : null;

    /// <summary>The ALPN protocol names (allocates); empty when there are none or the hello is not parsed.</summary>
    /// <returns>The names in the client's order.</returns>
    public IReadOnlyList<string> GetApplicationProtocols() =>
        Status == ClientHelloStatus.Done ? Hello.GetApplicationProtocols() : [];

    /// <summary>Forgets everything so the sniffer can serve a new connection; keeps its pooled buffer.</summary>
    public void Reset()
    {
        _state = new ClientHelloParserState(Options);
        _layout = default;
        _messageLength = 0;
        Status = ClientHelloStatus.NeedMoreData;
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Status = ClientHelloStatus.NeedMoreData;
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    private byte[] EnsureBuffer() => _buffer ??= ArrayPool<byte>.Shared.Rent(Options.MaxHandshakeLength);

    private ClientHelloStatus Complete(ClientHelloStatus status, ClientHelloInfo hello)
    {
        if (status == ClientHelloStatus.Done)
        {
            // Keep the message: in place it lives in the caller's buffer, which may be gone by the next call.
            byte[] buffer = _buffer!;
            if (!hello.Message.Overlaps(buffer))
            {
                hello.Message.CopyTo(buffer);
            }

            _messageLength = hello.Message.Length;
            _layout = hello.Layout;
            hello.Dispose();
        }

        Status = status;
        return status;
    }

    private static void ThrowNotDone() =>
        throw new InvalidOperationException("No ClientHello has been parsed: Status is not Done.");
}
