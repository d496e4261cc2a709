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

        // One pass over each list collects the values to hash; the counts of part a fall out of the same passes.
        ReadOnlySpan<byte> ciphers = hello.CipherSuites.Bytes;
        ReadOnlySpan<byte> extensions = hello.Extensions.Bytes;
        ushort[]? rentedCiphers = null;
        ushort[]? rentedTypes = null;
        Span<ushort> cipherValues = ciphers.Length / 2 <= StackValues
            ? stackalloc ushort[StackValues]
            : (rentedCiphers = ArrayPool<ushort>.Shared.Rent(ciphers.Length / 2));
        Span<ushort> types = stackalloc ushort[StackValues];
        int cipherCount = 0;
        for (int i = 0; i + 1 < ciphers.Length; i += 2)
        {
            ushort cipher = BinaryPrimitives.ReadUInt16BigEndian(ciphers[i..]);
            if (!TlsWire.IsGrease(cipher))
            {
                cipherValues[cipherCount++] = cipher;
            }
        }

        // The block is often ~2 KB (padding, post-quantum key shares) around 10-25 extensions: bound the list by
        // the block only when the stack buffer turns out too small.
        if (!TryCollectTypes(extensions, types, out int typeCount, out int sniAndAlpn))
        {
            types = rentedTypes = ArrayPool<ushort>.Shared.Rent(extensions.Length / 4);
            TryCollectTypes(extensions, types, out typeCount, out sniAndAlpn);
        }

        // ---- a ----
        destination[0] = 't';
        WriteVersion(hello.MaxVersion, destination[1..3]);
        destination[3] = hello.HasServerNameExtension ? 'd' : 'i';
        WriteTwoDigits(Math.Min(cipherCount, 99), destination[4..6]);
        WriteTwoDigits(Math.Min(typeCount + sniAndAlpn, 99), destination[6..8]);
        WriteAlpn(hello.ApplicationProtocols.First, destination[8..10]);
        destination[10] = '_';

        // ---- b ----
        HashSorted(cipherValues[..cipherCount], default, destination.Slice(11, HashChars));
        destination[23] = '_';

        // ---- c ----
        HashSorted(types[..typeCount], hello.SignatureAlgorithms, destination.Slice(24, HashChars), appendSignatureAlgorithms: true);

        // The arrays go back only on the way out: no try/finally, whose handler would keep the loop variables of
        // this method in memory (nothing here throws on a parsed hello).
        if (rentedCiphers is not null)
        {
            ArrayPool<ushort>.Shared.Return(rentedCiphers);
        }

        if (rentedTypes is not null)
        {
            ArrayPool<ushort>.Shared.Return(rentedTypes);
        }

        charsWritten = Length;
        return true;
    }

    // Part c hashes every non-GREASE extension type but SNI and ALPN; part a counts those two as well. False when
    // `types` is too short (nothing else is then valid).
    private static bool TryCollectTypes(ReadOnlySpan<byte> extensions, Span<ushort> types, out int count, out int sniAndAlpn)
    {
        count = 0;
        sniAndAlpn = 0;
        for (int position = 0; extensions.Length - position >= 4; position = NextExtension(extensions, position))
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(extensions[position..]);
            if (type is TlsWire.ExtServerName or TlsWire.ExtAlpn)
            {
                sniAndAlpn++;
            }
            else if (!TlsWire.IsGrease(type))
            {
                if (count == types.Length)
                {
                    return false;
                }

                types[count++] = type;
            }
        }

        return true;
    }

    // The extensions block was validated by the parse: each header's length stays inside it (as TlsExtensionList walks it).
    private static int NextExtension(ReadOnlySpan<byte> block, int position) =>
        position + 4 + BinaryPrimitives.ReadUInt16BigEndian(block[(position + 2)..]);

    // SHA-256 through one memoised IncrementalHash per thread (see DigestMemo: the digest is mostly OpenSSL's fixed cost).
    [ThreadStatic]
    private static DigestMemo? t_sha256;

    internal static DigestMemo Sha256Memo => t_sha256 ??= new DigestMemo(HashAlgorithmName.SHA256, SHA256.HashSizeInBytes);

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

        // Each value as "xxxx," (the last comma dropped or overwritten by '_').
        int written = 0;
        foreach (ushort value in values)
        {
            Hex.WriteUInt16Comma(value, text[written..]);
            written += 5;
        }

        written--;
        ReadOnlySpan<byte> algorithms = signatureAlgorithms.Bytes;
        if (appendSignatureAlgorithms && !algorithms.IsEmpty)
        {
            text[written++] = (byte)'_';
            int start = written;
            for (int i = 0; i + 1 < algorithms.Length; i += 2)
            {
                ushort algorithm = BinaryPrimitives.ReadUInt16BigEndian(algorithms[i..]);
                if (!TlsWire.IsGrease(algorithm))
                {
                    Hex.WriteUInt16Comma(algorithm, text[written..]);
                    written += 5;
                }
            }

            written -= written > start ? 1 : 0;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Sha256Memo.Hash(text[..written], hash);
        Hex.WriteLower(hash[..(HashChars / 2)], destination);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
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
