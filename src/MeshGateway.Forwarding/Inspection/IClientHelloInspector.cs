namespace MeshGateway.Forwarding;

/// <summary>
/// Inspection stage: looks at the first bytes of a connection without consuming them. The engine owns reading,
/// the byte budget and the deadline; the inspection only judges what has been buffered.
/// </summary>
public interface IClientHelloInspector
{
    /// <summary>Starts inspecting one connection. The returned inspection is disposed when the connection leaves the stage.</summary>
    IClientHelloInspection Start(ForwardingContext context);
}
