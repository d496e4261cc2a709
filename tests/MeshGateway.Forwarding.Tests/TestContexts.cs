using System.Net;
using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests;

internal static class TestContexts
{
    public static ForwardingContext Create(EndPoint? client, EndPoint? local, string? sni = null, InspectionStatus? inspection = InspectionStatus.Complete)
    {
        var context = new ForwardingContext(1, local, client, CancellationToken.None) { Inspection = inspection };
        if (sni is not null || inspection == InspectionStatus.Complete)
        {
            context.ClientHello = new SniffedClientHello(sni, [], 0);
        }

        return context;
    }

    public static ForwardingContext WithSni(string? sni) => Create(null, null, sni);
}
