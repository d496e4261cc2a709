using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MeshGateway.ClientHello;

/// <summary>
/// JA4 for TLS over TCP (FoxIO-LLC/ja4 <c>technical_details/JA4.md</c>): <c>a_b_c</c>, where a is
/// <c>t</c> + version + <c>d</c>/<c>i</c> + cipher count + extension count + ALPN first/last character, b the first 12
/// hex digits of SHA-256 over the sorted cipher list, and c the same over the sorted extension list (SNI and ALPN
/// removed) followed by <c>_</c> and the signature algorithms in wire order. GREASE is removed everywhere.
/// </summary>
internal static class Ja4Fingerprint
{
    public const int Length = 36;
    private const int HashChars = 12;
    private const int StackValues = 128;

    public static bool TryFormat(in ClientHelloInfo hello, Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        if (hello.IsLegacyV2Hello || destination.Length < Length)
        {
            return false;
        }

        // ---- a ----
        destination[0] = 't';
        WriteVersion(hello.MaxVersion, destination[1..3]);
        destination[3] = hello.HasServerNameExtension ? 'd' : 'i';
        int cipherCount = CountNonGrease(hello.CipherSuites);
        ReadOnlySpan<byte> extensions = hello.Extensions.Bytes;
        int extensionCount = 0;
        for (int position = 0; extensions.Length - position >= 4; position = NextExtension(extensions, position))
        {
            extensionCount += TlsWire.IsGrease(BinaryPrimitives.ReadUInt16BigEndian(extensions[position..])) ? 0 : 1;
        }

        WriteTwoDigits(Math.Min(cipherCount, 99), destination[4..6]);
        WriteTwoDigits(Math.Min(extensionCount, 99), destination[6..8]);
        WriteAlpn(hello.ApplicationProtocols.First, destination[8..10]);
        destination[10] = '_';

        // ---- b ----
        ushort[]? rented = null;
        int capacity = Math.Max(hello.CipherSuites.Count, extensionCount);
        Span<ushort> values = capacity <= StackValues ? stackalloc ushort[StackValues] : (rented = ArrayPool<ushort>.Shared.Rent(capacity));
        try
        {
            int n = 0;
            foreach (ushort cipher in hello.CipherSuites)
            {
                if (!TlsWire.IsGrease(cipher))
                {
                    values[n++] = cipher;
                }
            }

            HashSorted(values[..n], default, destination.Slice(11, HashChars));
            destination[23] = '_';

            // ---- c ----
            n = 0;
            for (int position = 0; extensions.Length - position >= 4; position = NextExtension(extensions, position))
            {
                ushort type = BinaryPrimitives.ReadUInt16BigEndian(extensions[position..]);
                if (!TlsWire.IsGrease(type) && type != TlsWire.ExtServerName && type != TlsWire.ExtAlpn)
                {
                    values[n++] = type;
                }
            }

            HashSorted(values[..n], hello.SignatureAlgorithms, destination.Slice(24, HashChars), appendSignatureAlgorithms: true);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<ushort>.Shared.Return(rented);
            }
        }

        charsWritten = Length;
        return true;
    }

    // The extensions block was validated by the parse: each header's length stays inside it (as TlsExtensionList walks it).
    private static int NextExtension(ReadOnlySpan<byte> block, int position) =>
        position + 4 + BinaryPrimitives.ReadUInt16BigEndian(block[(position + 2)..]);

    // SHA-256 through one IncrementalHash per thread. On Linux every SHA256.HashData call creates and frees an
    // OpenSSL EVP context and clears the OpenSSL error queue: a fixed ~350 ns on OpenSSL 3.0 however short the input
    // (our inputs are ~50-200 bytes). Reusing the context skips the create/free; the rest of the fixed cost stays.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static void Sha256(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        IncrementalHash sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(data);
        sha256.GetHashAndReset(hash);
    }

    private static int CountNonGrease(TlsUInt16List list)
    {
        int count = 0;
        foreach (ushort value in list)
        {
            count += TlsWire.IsGrease(value) ? 0 : 1;
        }

        return count;
    }

    // Sorts values, writes "xxxx,xxxx[_ssss,ssss]" and keeps the first 12 hex digits of its SHA-256;
    // an empty list is "000000000000", never the hash of the empty string.
    private static void HashSorted(Span<ushort> values, TlsUInt16List signatureAlgorithms, Span<char> destination, bool appendSignatureAlgorithms = false)
    {
        if (values.IsEmpty)
        {
            destination.Fill('0');
            return;
        }

        values.Sort();
        int textLength = (5 * values.Length) + (appendSignatureAlgorithms ? 5 * signatureAlgorithms.Count : 0);
        byte[]? rented = null;
        Span<byte> text = textLength <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(textLength));
        try
        {
            int written = 0;
            for (int i = 0; i < values.Length; i++)
            {
                if (i > 0)
                {
                    text[written++] = (byte)',';
                }

                Hex.WriteUInt16(values[i], text[written..]);
                written += 4;
            }

            if (appendSignatureAlgorithms && !signatureAlgorithms.Bytes.IsEmpty)
            {
                text[written++] = (byte)'_';
                bool first = true;
                foreach (ushort algorithm in signatureAlgorithms)
                {
                    if (TlsWire.IsGrease(algorithm))
                    {
                        continue;
                    }

                    if (!first)
                    {
                        text[written++] = (byte)',';
                    }

                    Hex.WriteUInt16(algorithm, text[written..]);
                    written += 4;
                    first = false;
                }
            }

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            Sha256(text[..written], hash);
            Hex.WriteLower(hash[..(HashChars / 2)], destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void WriteVersion(ushort version, Span<char> destination)
    {
        (char a, char b) = version switch
        {
            0x0304 => ('1', '3'),
            0x0303 => ('1', '2'),
            0x0302 => ('1', '1'),
            0x0301 => ('1', '0'),
            0x0300 => ('s', '3'),
            0x0002 => ('s', '2'),
            0xFEFF => ('d', '1'),
            0xFEFD => ('d', '2'),
            0xFEFC => ('d', '3'),
            _ => ('0', '0'),
        };
        destination[0] = a;
        destination[1] = b;
    }

    private static void WriteTwoDigits(int value, Span<char> destination)
    {
        destination[0] = (char)('0' + (value / 10));
        destination[1] = (char)('0' + (value % 10));
    }

    // The first ALPN name: its first and last characters when both are ASCII alphanumeric, otherwise the first and
    // last hex digits of the name hex-encoded; "00" when there is no ALPN (JA4.md; FoxIO issue #178).
    private static void WriteAlpn(ReadOnlySpan<byte> first, Span<char> destination)
    {
        if (first.IsEmpty)
        {
            destination[0] = '0';
            destination[1] = '0';
            return;
        }

        byte head = first[0];
        byte tail = first[^1];
        if (char.IsAsciiLetterOrDigit((char)head) && char.IsAsciiLetterOrDigit((char)tail))
        {
            destination[0] = (char)head;
            destination[1] = (char)tail;
        }
        else
        {
            destination[0] = Hex.Digit(head >> 4);
            destination[1] = Hex.Digit(tail);
        }
    }
}
