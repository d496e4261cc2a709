using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding;

/// <summary>
/// The default inspector: MeshGateway.ClientHello's <see cref="ClientHelloSniffer"/>, one per connection (it
/// caches what it parsed, so a hello arriving one byte at a time costs O(n)). It handles a hello split across
/// TCP segments and across TLS records.
/// </summary>
public sealed class TlsClientHelloInspector : IClientHelloInspector
{
    /// <summary>Creates an inspector using <paramref name="parserOptions"/> (the parser's strict defaults when null).</summary>
    public TlsClientHelloInspector(ClientHelloParserOptions? parserOptions = null)
    {
        ParserOptions = parserOptions ?? ClientHelloParserOptions.Default;
    }

    /// <summary>The inspector with the parser's default (strict) options.</summary>
    public static TlsClientHelloInspector Default { get; } = new();

    /// <summary>The parser options each sniffer is created with.</summary>
    public ClientHelloParserOptions ParserOptions { get; }

    /// <inheritdoc/>
    public IClientHelloInspection Start(ForwardingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TlsClientHelloInspection(context, new ClientHelloSniffer(ParserOptions));
    }
}
