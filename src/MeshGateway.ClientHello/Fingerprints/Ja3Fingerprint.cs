using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace MeshGateway.ClientHello;

/// <summary>
/// JA3: <c>SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats</c>, decimal values joined by '-',
/// GREASE (RFC 8701) removed from every list; the hash is the MD5 of that string, lower-case hex.
/// </summary>
internal static class Ja3Fingerprint
{
    public const int HashLength = 32;
    private const int StackLimit = 1024;

    /// <summary>An upper bound on the JA3 string length of <paramref name="hello"/>.</summary>
    public static int MaxLength(in ClientHelloInfo hello) =>
        5 + 4 + (6 * ((hello.CipherSuites.Count) + (hello.Extensions.Bytes.Length / 4) + hello.SupportedGroups.Count))
        + (4 * hello.EcPointFormats.Length);

    public static bool TryFormat(in ClientHelloInfo hello, Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        if (hello.IsLegacyV2Hello)
        {
            return false;
        }

        var writer = new CharWriter(destination);
        writer.WriteDecimal(hello.LegacyVersion);
        writer.Write(',');
        WriteList(ref writer, hello.CipherSuites);
        writer.Write(',');
        bool first = true;
        foreach (TlsExtension extension in hello.Extensions)
        {
            if (!TlsWire.IsGrease(extension.Type))
            {
                if (!first)
                {
                    writer.Write('-');
                }

                writer.WriteDecimal(extension.Type);
                first = false;
            }
        }

        writer.Write(',');
        WriteList(ref writer, hello.SupportedGroups);
        writer.Write(',');
        first = true;
        foreach (byte format in hello.EcPointFormats)
        {
            if (!first)
            {
                writer.Write('-');
            }

            writer.WriteDecimal(format);
            first = false;
        }

        charsWritten = writer.Written;
        return !writer.Overflowed;
    }

    public static bool TryFormatHash(in ClientHelloInfo hello, Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        if (hello.IsLegacyV2Hello || destination.Length < HashLength)
        {
            return false;
        }

        int maxLength = MaxLength(hello);
        char[]? rentedChars = null;
        byte[]? rentedBytes = null;
        Span<char> text = maxLength <= StackLimit ? stackalloc char[StackLimit] : (rentedChars = ArrayPool<char>.Shared.Rent(maxLength));
        Span<byte> ascii = maxLength <= StackLimit ? stackalloc byte[StackLimit] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxLength));
        try
        {
            if (!TryFormat(hello, text, out int length))
            {
                return false;
            }

            Ascii.FromUtf16(text[..length], ascii, out int bytes);
            Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
            Md5Memo.Hash(ascii[..bytes], hash);
            Hex.WriteLower(hash, destination);
            charsWritten = HashLength;
            return true;
        }
        finally
        {
            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }

            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }
        }
    }

    // MD5 through one memoised IncrementalHash per thread (see DigestMemo). JA3 is defined over MD5; it is a
    // fingerprint, not a security hash. Clients that permute their extensions (Chromium) miss the memo every time.
    [ThreadStatic]
    private static DigestMemo? t_md5;

    internal static DigestMemo Md5Memo => t_md5 ??= new DigestMemo(HashAlgorithmName.MD5, MD5.HashSizeInBytes);

    private static void WriteList(ref CharWriter writer, TlsUInt16List list)
    {
        bool first = true;
        foreach (ushort value in list)
        {
            if (!TlsWire.IsGrease(value))
            {
                if (!first)
                {
                    writer.Write('-');
                }

                writer.WriteDecimal(value);
                first = false;
            }
        }
    }
}
