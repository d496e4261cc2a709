namespace MeshGateway.Forwarding;

/// <summary>
/// The sniff results themselves, shared by the connections of one thread whose hellos said the same thing: the same
/// server name and ALPN list instances (<see cref="ServerNameCache"/>, <see cref="ProtocolListCache"/>), the same
/// length and the same ECH offer. A gateway's clients are a few TLS stacks dialing a few names, so most connections
/// repeat one of a handful of answers. <see cref="SniffedClientHello"/> is immutable, so sharing it is safe. A small
/// direct-mapped table per thread (no lock), as the caches it builds on: a new answer replaces its slot's.
/// </summary>
internal static class SniffedHelloCache
{
    /// <summary>Results kept per thread.</summary>
    internal const int Slots = 16;

    [ThreadStatic]
    private static SniffedClientHello?[]? t_hellos;

    /// <summary>The cached result equal to what the arguments describe, or a new one (then cached).</summary>
    public static SniffedClientHello Get(string? serverName, IReadOnlyList<string> protocols, int length, bool offersEch)
    {
        SniffedClientHello?[] hellos = t_hellos ??= new SniffedClientHello?[Slots];
        ref SniffedClientHello? slot = ref hellos[HashCode.Combine(serverName, protocols, length, offersEch) & (Slots - 1)];
        if (slot is { } cached
            && ReferenceEquals(cached.ServerName, serverName)
            && ReferenceEquals(cached.ApplicationProtocols, protocols)
            && cached.HelloLength == length
            && cached.OffersEncryptedClientHello == offersEch)
        {
            return cached;
        }

        var made = new SniffedClientHello(serverName, protocols, length) { OffersEncryptedClientHello = offersEch };
        slot = made;
        return made;
    }
}
