using MeshGateway.ClientHello.Tests.Building;

namespace MeshGateway.ClientHello.Tests.EdgeCases;

/// <summary>One row of the edge-case table (research note sni-parsers.md §2): input, profile, expected outcome.</summary>
public sealed record EdgeCase(
    string Id,
    byte[] Bytes,
    ClientHelloStatus Expected,
    ClientHelloMalformedReason Reason = ClientHelloMalformedReason.None,
    ClientHelloParserOptions? Options = null,
    Action<Outcome>? Check = null)
{
    public override string ToString() => Id;
}
