using System.Buffers;

namespace MeshGateway.ClientHello;

/// <summary>
/// A reusable sniffer for one QUIC connection attempt at a time: holds the <see cref="QuicInitialParserState"/> and a
/// pooled CRYPTO buffer, takes the client's datagrams one by one, and keeps the parsed hello until
/// <see cref="Reset"/>.
/// </summary>
/// <remarks>Not thread-safe. Timeouts are the caller's job: a client that stops sending stays at <see cref="QuicSniffStatus.NeedMoreData"/>.</remarks>
public sealed class QuicInitialSniffer : IDisposable
{
    private QuicInitialParserState _state;
    private byte[]? _buffer;
    private ClientHelloLayout _layout;
    private int _messageLength;
    private bool _disposed;

    /// <summary>Creates a sniffer.</summary>
    /// <param name="options">Limits and the ClientHello profile; null means <see cref="QuicInitialParserOptions.Default"/>.</param>
    public QuicInitialSniffer(QuicInitialParserOptions? options = null)
    {
        Options = options ?? QuicInitialParserOptions.Default;
        _state = new QuicInitialParserState(Options);
        Status = QuicSniffStatus.NeedMoreData;
    }

    /// <summary>The options this sniffer parses with.</summary>
    public QuicInitialParserOptions Options { get; }

    /// <summary>The status of the last <see cref="Sniff"/> call (<see cref="QuicSniffStatus.NeedMoreData"/> before the first).</summary>
    public QuicSniffStatus Status { get; private set; }

    /// <summary>The parse state: version, Destination Connection ID, reasons, limits and counters.</summary>
    public ref readonly QuicInitialParserState State => ref _state;

    /// <summary>The parsed hello. Valid until <see cref="Reset"/> or <see cref="Dispose"/>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Status"/> is not <see cref="QuicSniffStatus.Done"/>.</exception>
    public ClientHelloInfo Hello
    {
        get
        {
            if (Status != QuicSniffStatus.Done)
            {
                ThrowNotDone();
            }

            return new ClientHelloInfo(_buffer.AsSpan(TlsWire.HandshakeHeaderLength, _messageLength), _layout, null);
        }
    }

    /// <summary>Reads the next datagram the client sent.</summary>
    /// <param name="datagram">One UDP payload.</param>
    /// <returns>The outcome.</returns>
    public QuicSniffStatus Sniff(ReadOnlySpan<byte> datagram)
    {
        if (Status != QuicSniffStatus.NeedMoreData)
        {
            return Status;
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        _buffer ??= ArrayPool<byte>.Shared.Rent(Options.MaxCryptoBytes);
        QuicSniffStatus status = QuicInitialParser.Parse(datagram, ref _state, _buffer, out ClientHelloInfo hello);
        if (status == QuicSniffStatus.Done)
        {
            _layout = hello.Layout;
            _messageLength = hello.Message.Length;
        }

        Status = status;
        return status;
    }

    /// <summary>The SNI host_name as a string (allocates); null when the hello has none or is not parsed.</summary>
    /// <returns>The name as sent, or null.</returns>
    public string? GetServerName() => Status == QuicSniffStatus.Done ? Hello.GetServerName() : null;

    /// <summary>The ALPN protocol names (allocates); empty when there are none or the hello is not parsed.</summary>
    /// <returns>The names in the client's order.</returns>
    public IReadOnlyList<string> GetApplicationProtocols() =>
        Status == QuicSniffStatus.Done ? Hello.GetApplicationProtocols() : [];

    /// <summary>The JA4 fingerprint with the QUIC prefix <c>q</c> (allocates); null when the hello is not parsed.</summary>
    /// <returns>The fingerprint or null.</returns>
    public string? GetJa4() => Status == QuicSniffStatus.Done ? QuicInitialParser.GetJa4(Hello) : null;

    /// <summary>Forgets everything so the sniffer can serve a new connection attempt; keeps its pooled buffer.</summary>
    public void Reset()
    {
        _state = new QuicInitialParserState(Options);
        _layout = default;
        _messageLength = 0;
        Status = QuicSniffStatus.NeedMoreData;
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Status = QuicSniffStatus.NeedMoreData;
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    private static void ThrowNotDone() =>
        throw new InvalidOperationException("No ClientHello has been parsed: Status is not Done.");
}
