using System.Runtime.CompilerServices;

namespace MeshGateway.ClientHello;

public static partial class ClientHelloParser
{
    // The entry point for front ends without a TLS record layer (QUIC carries the handshake message raw in CRYPTO
    // frames, RFC 9001 §4): `message` is the ClientHello body after its 4-byte handshake header, already whole.
    // `streamLength` is what ClientHelloInfo.Length reports (the bytes the hello occupies in the carrying stream).
    internal static ClientHelloStatus ParseHandshakeMessage(
        ReadOnlySpan<byte> message,
        ClientHelloParserOptions options,
        int streamLength,
        out ClientHelloInfo hello,
        out ClientHelloMalformedReason reason)
    {
        hello = default;
        reason = ClientHelloMalformedReason.None;
        if (message.Length > options.MaxHandshakeLength)
        {
            return ClientHelloStatus.TooLarge;
        }

        if (message.Length < TlsWire.MinClientHelloLength)
        {
            reason = ClientHelloMalformedReason.ClientHelloTooShort;
            return ClientHelloStatus.Malformed;
        }

        ClientHelloInfo.InitializeInPlace(out hello, message, null);
        ref ClientHelloLayout layout = ref Unsafe.AsRef(in hello.LayoutInPlace);
        layout.Length = streamLength;
        reason = ParseBody(message, options.IsStrict, ref layout);
        if (reason != ClientHelloMalformedReason.None)
        {
            hello = default;
            return ClientHelloStatus.Malformed;
        }

        return ClientHelloStatus.Done;
    }
}
