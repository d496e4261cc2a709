namespace MeshGateway.Forwarding;

/// <summary>
/// Optional preamble stage: bytes written to the upstream before the replayed ClientHello, in the same send
/// (the PROXY protocol requires its header "at once"). Built in: <see cref="ProxyProtocolV1Writer"/> and
/// <see cref="ProxyProtocolV2Writer"/>.
/// </summary>
public interface IUpstreamPreambleWriter
{
    /// <summary>The most bytes <see cref="Write"/> may write for <paramref name="context"/>.</summary>
    int GetMaxLength(ForwardingContext context);

    /// <summary>Writes the preamble into <paramref name="destination"/> and returns the bytes written.</summary>
    int Write(ForwardingContext context, Span<byte> destination);
}
