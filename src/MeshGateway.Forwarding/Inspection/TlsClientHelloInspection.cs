using System.Buffers;
using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding;

/// <summary>One connection's ClientHello sniff, mapping the parser's statuses onto the engine's.</summary>
internal sealed class TlsClientHelloInspection(ForwardingContext context, ClientHelloSniffer sniffer) : IClientHelloInspection
{
    public InspectionStatus Inspect(ReadOnlySequence<byte> buffered)
    {
        ClientHelloStatus status = sniffer.Sniff(buffered);
        switch (status)
        {
            case ClientHelloStatus.Done:
                context.ClientHello = new SniffedClientHello(sniffer.GetServerName(), sniffer.GetApplicationProtocols(), sniffer.HelloLength)
                {
                    OffersEncryptedClientHello = sniffer.Hello.Ech == ClientHelloEchKind.Outer,
                };
                return InspectionStatus.Complete;
            case ClientHelloStatus.NeedMoreData:
                return InspectionStatus.NeedMoreData;
            case ClientHelloStatus.NotTls:
                return InspectionStatus.NotTls;
            case ClientHelloStatus.TooLarge:
                return InspectionStatus.TooLarge;
            default:
                // Malformed, or a TLS handshake record that is not a ClientHello.
                return InspectionStatus.Malformed;
        }
    }

    public void Dispose() => sniffer.Dispose();
}
