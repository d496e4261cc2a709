using System.Text;

namespace MeshGateway.Forwarding;

/// <summary>
/// The sniffed server names as strings, shared by the connections of one thread that send the same name: a gateway
/// sees the same few SNIs over and over (a Consul name is ~75 characters, ~170 B as a string), so a repeated name
/// costs a hash and a compare instead of a new string. A small direct-mapped table per thread (no lock); a name that
/// hashes to a taken slot replaces it, so a client that cycles names only makes every lookup a miss, and the table
/// never holds more than <see cref="Slots"/> names per thread.
/// </summary>
internal static class ServerNameCache
{
    /// <summary>Names kept per thread.</summary>
    internal const int Slots = 64;

    [ThreadStatic]
    private static string?[]? t_names;

    /// <summary>
    /// <paramref name="name"/> as a string, the same instance as the last time this thread saw these bytes in the
    /// same slot; null when the bytes are not ASCII (as <c>ClientHelloInfo.GetServerName</c>).
    /// </summary>
    public static string? Get(ReadOnlySpan<byte> name)
    {
        var hash = new HashCode();
        hash.AddBytes(name);
        string?[] names = t_names ??= new string?[Slots];
        ref string? slot = ref names[hash.ToHashCode() & (Slots - 1)];
        if (slot is { } cached && Ascii.Equals(name, cached))
        {
            return cached;
        }

        if (!Ascii.IsValid(name))
        {
            return null;
        }

        string made = Encoding.ASCII.GetString(name);
        slot = made;
        return made;
    }
}
