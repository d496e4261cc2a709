namespace MeshGateway.Forwarding;

/// <summary>The default inspector: the TLS ClientHello sniffer of MeshGateway.ClientHello.</summary>
public sealed class TlsClientHelloInspector : IClientHelloInspector
{
    /// <summary>The inspector with the parser's default (strict) options.</summary>
    public static TlsClientHelloInspector Default { get; } = new();

    /// <inheritdoc/>
    public IClientHelloInspection Start(ForwardingContext context) => throw new NotSupportedException("pending parser merge");
}
