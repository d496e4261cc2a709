using System.Text;
using System.Text.Unicode;

namespace MeshGateway.ClientHello;

/// <summary>Turns wire bytes into strings without ever substituting a replacement character.</summary>
internal static class AsciiText
{
    /// <summary>The bytes as a string of the same length when every byte is ASCII (0x00–0x7F); otherwise null.</summary>
    public static string? TryDecode(ReadOnlySpan<byte> bytes) =>
        Ascii.IsValid(bytes) ? Encoding.ASCII.GetString(bytes) : null;

    /// <summary>
    /// A protocol name as text: decoded when it is valid UTF-8 (then exact), else its bytes as <c>0xNN</c> separated
    /// by spaces, the form <c>SslApplicationProtocol.ToString()</c> falls back to.
    /// </summary>
    public static string DecodeProtocolName(ReadOnlySpan<byte> bytes)
    {
        // The names nearly every hello offers (IANA ALPN registry) come back as the same strings: no allocation.
        if (KnownProtocolName(bytes) is { } known)
        {
            return known;
        }

        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var text = new StringBuilder(bytes.Length * 5);
        foreach (byte b in bytes)
        {
            text.Append(text.Length == 0 ? "0x" : " 0x").Append(Hex.Digit(b >> 4)).Append(Hex.Digit(b));
        }

        return text.ToString();
    }

    /// <summary>A cached string for the common ALPN identifiers (RFC 7301 §6 registry), or null.</summary>
    private static string? KnownProtocolName(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        2 when bytes.SequenceEqual("h2"u8) => "h2",
        2 when bytes.SequenceEqual("h3"u8) => "h3",
        8 when bytes.SequenceEqual("http/1.1"u8) => "http/1.1",
        8 when bytes.SequenceEqual("http/1.0"u8) => "http/1.0",
        _ => null,
    };
}
