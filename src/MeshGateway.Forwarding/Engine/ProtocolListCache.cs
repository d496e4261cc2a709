using System.Collections.ObjectModel;
using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding;

/// <summary>
/// The sniffed ALPN lists (RFC 7301 §3.1) as read-only string lists, shared by the connections of one thread whose
/// hellos offer the same list: a gateway's clients are a few TLS stacks, each sending the same list every time
/// (<c>h2, http/1.1</c>), so a repeated list costs a hash and a compare instead of an array per connection. As
/// <see cref="ServerNameCache"/>: a small direct-mapped table per thread (no lock), a list that hashes to a taken slot
/// replaces it, at most <see cref="Slots"/> lists per thread. The lists are <see cref="ReadOnlyCollection{T}"/>s, so a
/// stage cannot change what other connections see.
/// </summary>
internal static class ProtocolListCache
{
    /// <summary>Lists kept per thread.</summary>
    internal const int Slots = 16;

    [ThreadStatic]
    private static Entry[]? t_lists;

    /// <summary>
    /// <paramref name="hello"/>'s ALPN names (<see cref="ClientHelloInfo.GetApplicationProtocols"/>) as a read-only list,
    /// the same instance as the last time this thread saw the same extension bytes in the same slot; empty when the
    /// hello offered none.
    /// </summary>
    public static IReadOnlyList<string> Get(in ClientHelloInfo hello)
    {
        ReadOnlySpan<byte> wire = hello.ApplicationProtocols.Bytes;
        if (wire.IsEmpty)
        {
            return [];
        }

        var hash = new HashCode();
        hash.AddBytes(wire);
        Entry[] lists = t_lists ??= new Entry[Slots];
        ref Entry slot = ref lists[hash.ToHashCode() & (Slots - 1)];
        if (slot.Wire is { } cached && wire.SequenceEqual(cached))
        {
            return slot.Names!;
        }

        ReadOnlyCollection<string> made = Array.AsReadOnly(hello.GetApplicationProtocols());
        slot = new Entry(wire.ToArray(), made);
        return made;
    }

    /// <summary>One slot: the extension's list bytes and the names they decode to.</summary>
    private readonly record struct Entry(byte[]? Wire, ReadOnlyCollection<string>? Names);
}
