using System.Net;
using MeshGateway.ClientHello;
using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests;

internal static class TestContexts
{
    public static ForwardingContext Create(EndPoint? client, EndPoint? local, string? sni = null, ClientHelloStatus? sniffStatus = ClientHelloStatus.Done)
    {
        var context = new ForwardingContext(1, local, client, CancellationToken.None) { SniffStatus = sniffStatus };
        if (sni is not null || sniffStatus == ClientHelloStatus.Done)
        {
            context.ClientHello = new SniffedClientHello(sni, [], 0);
        }

        return context;
    }

    public static ForwardingContext WithSni(string? sni) => Create(null, null, sni);
}
