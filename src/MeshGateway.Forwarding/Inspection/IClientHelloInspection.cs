using System.Buffers;

namespace MeshGateway.Forwarding;

/// <summary>The inspection of one connection (stateful, so one-byte-at-a-time arrival costs O(n) overall).</summary>
public interface IClientHelloInspection : IDisposable
{
    /// <summary>
    /// Judges every byte buffered so far (always from the first byte of the connection). On
    /// <see cref="InspectionStatus.Complete"/> the inspection has set <see cref="ForwardingContext.ClientHello"/>.
    /// </summary>
    InspectionStatus Inspect(ReadOnlySequence<byte> buffered);
}
