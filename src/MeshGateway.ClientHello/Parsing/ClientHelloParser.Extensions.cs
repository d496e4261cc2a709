using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeshGateway.ClientHello;

public static partial class ClientHelloParser
{
    /// <summary>Up to this many distinct extension types are checked for duplicates inline; beyond, one bitmap pass.</summary>
    private const int InlineDuplicateCheckLimit = 64;

    /// <summary>The extension types below 64 that <see cref="ParseExtension"/> reads; every other low type is only skipped.</summary>
    private const ulong ParsedLowTypes =
        (1UL << TlsWire.ExtServerName) | (1UL << TlsWire.ExtSupportedGroups) | (1UL << TlsWire.ExtEcPointFormats)
        | (1UL << TlsWire.ExtSignatureAlgorithms) | (1UL << TlsWire.ExtAlpn) | (1UL << TlsWire.ExtPreSharedKey)
        | (1UL << TlsWire.ExtSupportedVersions) | (1UL << TlsWire.ExtKeyShare);

    // struct {
    //     ExtensionType extension_type;
    //     opaque extension_data<0..2^16-1>;
    // } Extension;                                          (RFC 8446 §4.2)
    // "There MUST NOT be more than one extension of the same type in a given extension block."
    // pre_shared_key "MUST be the last extension in the ClientHello" (RFC 8446 §4.2.11).
    //
    // One pass: each header is read once, the duplicate check is exact and allocation-free (a 64-bit map for the
    // types below 64, which are nearly all the registered ones, and for the rest, GREASE, renegotiation_info, ECH,
    // ALPS, a short list behind a hashed filter), and only the extensions something is read from leave the loop.
    private static ClientHelloMalformedReason ParseExtensions(
        ReadOnlySpan<byte> message, int start, int length, bool strict, ref ClientHelloLayout layout)
    {
        ReadOnlySpan<byte> block = message.Slice(start, length);
        ref byte first = ref MemoryMarshal.GetReference(block);
        ulong lowSeen = 0;
        ulong highFilter = 0;
        Unsafe.SkipInit(out HighTypeList highSeen);
        int highCount = 0;
        bool tooManyForInline = false;
        bool preSharedKeySeen = false;
        int position = 0;
        while (block.Length - position >= 4)
        {
            // In bounds: position + 4 <= block.Length was just checked.
            uint header = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, (nint)(uint)position)));
            ushort type = (ushort)(header >> 16);
            int dataLength = (int)(header & 0xFFFF);
            position += 4;
            if (dataLength > block.Length - position)
            {
                return ClientHelloMalformedReason.ExtensionOverrun;
            }

            int dataStart = position;
            position += dataLength;

            if (preSharedKeySeen)
            {
                if (strict)
                {
                    return ClientHelloMalformedReason.PreSharedKeyNotLast;
                }

                layout.Tolerances |= ClientHelloTolerances.PreSharedKeyNotLast;
            }

            if (!tooManyForInline)
            {
                // Types >= 64 go through a hashed 64-bit filter first, so the list is scanned only on a filter hit.
                bool duplicate = type < 64
                    ? (lowSeen & (1UL << type)) != 0
                    : (highFilter & HighTypeBit(type)) != 0 && ((ReadOnlySpan<ushort>)highSeen)[..highCount].Contains(type);

                if (duplicate)
                {
                    if (strict)
                    {
                        return ClientHelloMalformedReason.DuplicateExtension;
                    }

                    // Lenient: the first occurrence wins, as nginx and HAProxy do.
                    layout.Tolerances |= ClientHelloTolerances.DuplicateExtension;
                    continue;
                }

                // The distinct types so far are the bits of lowSeen plus the high list (no counter kept in the loop).
                if (BitOperations.PopCount(lowSeen) + highCount == InlineDuplicateCheckLimit)
                {
                    tooManyForInline = true;
                }
                else if (type < 64)
                {
                    lowSeen |= 1UL << type;
                }
                else
                {
                    highSeen[highCount++] = type;
                    highFilter |= HighTypeBit(type);
                }
            }

            bool parsed = type < 64
                ? ((ParsedLowTypes >> type) & 1) != 0
                : type is TlsWire.ExtEncryptedClientHello or TlsWire.ExtEchOuterExtensions;
            if (parsed)
            {
                ClientHelloMalformedReason reason = ParseExtension(
                    type, block.Slice(dataStart, dataLength), start + dataStart, strict, tooManyForInline, ref layout, ref preSharedKeySeen);
                if (reason != ClientHelloMalformedReason.None)
                {
                    return reason;
                }
            }
        }

        if (position != block.Length)
        {
            // 1-3 stray bytes: too few for another extension header (.NET/YARP tolerate them; Go rejects).
            if (strict)
            {
                return ClientHelloMalformedReason.TrailingExtensionBytes;
            }

            layout.Tolerances |= ClientHelloTolerances.TrailingExtensionBytes;
        }

        if (tooManyForInline && HasDuplicateType(block))
        {
            if (strict)
            {
                return ClientHelloMalformedReason.DuplicateExtension;
            }

            layout.Tolerances |= ClientHelloTolerances.DuplicateExtension;
        }

        return ClientHelloMalformedReason.None;
    }

    // The bit of a type >= 64 in the hashed filter of the high-type list (Fibonacci hashing to 6 bits).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HighTypeBit(ushort type) => 1UL << (int)(((uint)type * 0x9E3779B1u) >> 26);

    // The slow path for hellos with more than 64 extensions: one pass with a 65536-bit map (8 KiB of stack).
    private static bool HasDuplicateType(ReadOnlySpan<byte> block)
    {
        Span<ulong> bits = stackalloc ulong[65536 / 64];
        bits.Clear();
        int position = 0;
        while (block.Length - position >= 4)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(block[position..]);
            int dataLength = BinaryPrimitives.ReadUInt16BigEndian(block[(position + 2)..]);
            ulong mask = 1UL << (type & 63);
            if ((bits[type >> 6] & mask) != 0)
            {
                return true;
            }

            bits[type >> 6] |= mask;
            position += 4 + dataLength;
        }

        return false;
    }

    // Past the inline duplicate check (more than 64 types) a duplicate reaches this method; the "already parsed"
    // guards keep the first occurrence, so the lenient profile's "first wins" holds for any number of extensions.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ClientHelloMalformedReason ParseExtension(
        ushort type, ReadOnlySpan<byte> data, int dataOffset, bool strict, bool pastInlineCheck, ref ClientHelloLayout layout, ref bool preSharedKeySeen)
    {
        // Below the inline limit every duplicate was caught before this call, so only past it can a type repeat here.
        if (pastInlineCheck && IsAlreadyParsed(type, layout))
        {
            return ClientHelloMalformedReason.None;
        }

        switch (type)
        {
            case TlsWire.ExtServerName:
                layout.HasServerNameExtension = true;
                return ParseServerName(data, dataOffset, strict, ref layout);

            case TlsWire.ExtAlpn:
                return ParseAlpn(data, dataOffset, ref layout);

            case TlsWire.ExtSupportedVersions:
                // struct { ProtocolVersion versions<2..254>; } SupportedVersions;  (RFC 8446 §4.2.1)
                if (data.Length < 1 || data[0] != data.Length - 1 || data[0] < 2 || (data[0] & 1) != 0)
                {
                    return ClientHelloMalformedReason.SupportedVersionsMalformed;
                }

                layout.SupportedVersions = new Segment(dataOffset + 1, data[0]);
                return ClientHelloMalformedReason.None;

            case TlsWire.ExtSupportedGroups:
                // struct { NamedGroup named_group_list<2..2^16-1>; } NamedGroupList;  (RFC 8446 §4.2.7)
                if (!TryReadUInt16List(data, dataOffset, out layout.SupportedGroups))
                {
                    return ClientHelloMalformedReason.SupportedGroupsMalformed;
                }

                return ClientHelloMalformedReason.None;

            case TlsWire.ExtSignatureAlgorithms:
                // struct { SignatureScheme supported_signature_algorithms<2..2^16-2>; } SignatureSchemeList;  (§4.2.3)
                return TryReadUInt16List(data, dataOffset, out layout.SignatureAlgorithms)
                    ? ClientHelloMalformedReason.None
                    : ClientHelloMalformedReason.SignatureAlgorithmsMalformed;

            case TlsWire.ExtKeyShare:
                return ParseKeyShare(data, dataOffset, ref layout);

            case TlsWire.ExtEcPointFormats:
                // struct { ECPointFormat ec_point_format_list<1..2^8-1> } ECPointFormatList;  (RFC 8422 §5.1.2)
                if (data.Length < 2 || data[0] != data.Length - 1)
                {
                    return ClientHelloMalformedReason.EcPointFormatsMalformed;
                }

                layout.EcPointFormats = new Segment(dataOffset + 1, data[0]);
                return ClientHelloMalformedReason.None;

            case TlsWire.ExtPreSharedKey:
                layout.HasPreSharedKey = true;
                preSharedKeySeen = true;
                return ClientHelloMalformedReason.None;

            case TlsWire.ExtEncryptedClientHello:
                return ParseEch(data, strict, ref layout);

            case TlsWire.ExtEchOuterExtensions:
                // Only valid inside the encoded inner hello (RFC 9849 §5.1).
                if (strict)
                {
                    return ClientHelloMalformedReason.MisplacedEchExtension;
                }

                layout.Tolerances |= ClientHelloTolerances.MisplacedEchExtension;
                return ClientHelloMalformedReason.None;

            default:
                return ClientHelloMalformedReason.None;
        }
    }

    private static bool IsAlreadyParsed(ushort type, in ClientHelloLayout layout) => type switch
    {
        TlsWire.ExtServerName => layout.HasServerNameExtension,
        TlsWire.ExtAlpn => layout.Alpn.IsPresent,
        TlsWire.ExtSupportedVersions => layout.SupportedVersions.IsPresent,
        TlsWire.ExtSupportedGroups => layout.SupportedGroups.IsPresent,
        TlsWire.ExtSignatureAlgorithms => layout.SignatureAlgorithms.IsPresent,
        TlsWire.ExtKeyShare => layout.KeyShares.IsPresent,
        TlsWire.ExtEcPointFormats => layout.EcPointFormats.IsPresent,
        TlsWire.ExtEncryptedClientHello => layout.Ech != ClientHelloEchKind.None,
        _ => false,
    };

    private static bool TryReadUInt16List(ReadOnlySpan<byte> data, int dataOffset, out Segment list)
    {
        list = Segment.Absent;
        if (data.Length < 2)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data);
        if (length != data.Length - 2 || length < 2 || (length & 1) != 0)
        {
            return false;
        }

        list = new Segment(dataOffset + 2, length);
        return true;
    }

    // struct {
    //     NamedGroup group;
    //     opaque key_exchange<1..2^16-1>;
    // } KeyShareEntry;
    // struct { KeyShareEntry client_shares<0..2^16-1>; } KeyShareClientHello;   (RFC 8446 §4.2.8)
    private static ClientHelloMalformedReason ParseKeyShare(ReadOnlySpan<byte> data, int dataOffset, ref ClientHelloLayout layout)
    {
        if (data.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(data) != data.Length - 2)
        {
            return ClientHelloMalformedReason.KeyShareMalformed;
        }

        int position = 2;
        while (position < data.Length)
        {
            if (data.Length - position < 4)
            {
                return ClientHelloMalformedReason.KeyShareMalformed;
            }

            int keyLength = (data[position + 2] << 8) | data[position + 3];
            position += 4;
            if (keyLength == 0 || keyLength > data.Length - position)
            {
                return ClientHelloMalformedReason.KeyShareMalformed;
            }

            position += keyLength;
        }

        layout.KeyShares = new Segment(dataOffset + 2, data.Length - 2);
        return ClientHelloMalformedReason.None;
    }

    // enum { outer(0), inner(1) } ECHClientHelloType;
    // struct {
    //     ECHClientHelloType type;
    //     select (type) {
    //         case outer: HpkeSymmetricCipherSuite cipher_suite; uint8 config_id;
    //                     opaque enc<0..2^16-1>; opaque payload<1..2^16-1>;
    //         case inner: Empty;
    //     };
    // } ECHClientHello;                                     (RFC 9849 §5)
    private static ClientHelloMalformedReason ParseEch(ReadOnlySpan<byte> data, bool strict, ref ClientHelloLayout layout)
    {
        if (data.Length == 0)
        {
            return ClientHelloMalformedReason.EchMalformed;
        }

        if (data[0] == 1)
        {
            if (strict)
            {
                return ClientHelloMalformedReason.MisplacedEchExtension;
            }

            layout.Tolerances |= ClientHelloTolerances.MisplacedEchExtension;
            layout.Ech = ClientHelloEchKind.Inner;
            return ClientHelloMalformedReason.None;
        }

        const int FixedOuterLength = 1 + 4 + 1;
        if (data[0] != 0 || data.Length < FixedOuterLength + 2)
        {
            return ClientHelloMalformedReason.EchMalformed;
        }

        int position = FixedOuterLength;
        int encLength = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
        position += 2;
        if (encLength > data.Length - position - 2)
        {
            return ClientHelloMalformedReason.EchMalformed;
        }

        position += encLength;
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
        position += 2;
        if (payloadLength == 0 || payloadLength != data.Length - position)
        {
            return ClientHelloMalformedReason.EchMalformed;
        }

        layout.Ech = ClientHelloEchKind.Outer;
        return ClientHelloMalformedReason.None;
    }

    /// <summary>Room for the extension types of 64 and above seen so far (at most the inline limit), without a stackalloc.</summary>
    [InlineArray(InlineDuplicateCheckLimit)]
    private struct HighTypeList
    {
        private ushort _first;
    }
}
