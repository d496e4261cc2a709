using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace MeshGateway.ClientHello;

/// <summary>
/// A parsed ClientHello: every field as a span or an offset into the handshake message, strings only on request.
/// Valid while the buffers it was parsed from are; dispose it to return a pooled reassembly buffer (a no-op otherwise).
/// </summary>
public readonly ref struct ClientHelloInfo : IDisposable
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly ClientHelloLayout _layout;
    private readonly byte[]? _rented;

    internal ClientHelloInfo(ReadOnlySpan<byte> message, scoped in ClientHelloLayout layout, byte[]? rented)
    {
        _message = message;
        _layout = layout;
        _rented = rented;
    }

    // For the parser only: initialises `hello` where it lives, its layout left empty for the parser to fill through
    // LayoutInPlace. A constructor call builds the value in a temporary and copies it out, and that copy (wide vector
    // loads of just-written narrow fields) stalled on store forwarding in profiles of the hot path.
    internal static void InitializeInPlace(out ClientHelloInfo hello, ReadOnlySpan<byte> message, byte[]? rented)
    {
        hello = default;
        Unsafe.AsRef(in hello._message) = message;
        Unsafe.AsRef(in hello._rented) = rented;
    }

    internal ClientHelloLayout Layout => _layout;

    /// <summary>The layout of a value the parser has just constructed, to be filled in place.</summary>
    [UnscopedRef]
    internal ref readonly ClientHelloLayout LayoutInPlace => ref _layout;

    /// <summary>The ClientHello handshake message body (after the 4-byte handshake header), reassembled when fragmented.</summary>
    public ReadOnlySpan<byte> Message => _message;

    /// <summary>Bytes the ClientHello occupies in the client's stream, record headers included (the input is not consumed).</summary>
    public int Length => _layout.Length;

    /// <summary>The number of TLS records the ClientHello was carried in.</summary>
    public int RecordCount => _layout.RecordCount;

    /// <summary>The legacy_record_version of the first record (0 for an SSLv2-compatible hello).</summary>
    public ushort RecordVersion => _layout.RecordVersion;

    /// <summary>The ClientHello's legacy_version (0x0303 for TLS 1.2 and 1.3).</summary>
    public ushort LegacyVersion => _layout.LegacyVersion;

    /// <summary>The highest non-GREASE value in supported_versions, else <see cref="LegacyVersion"/>.</summary>
    public ushort MaxVersion
    {
        get
        {
            ushort max = 0;
            foreach (ushort version in SupportedVersions)
            {
                if (!TlsWire.IsGrease(version) && version > max)
                {
                    max = version;
                }
            }

            return max == 0 ? LegacyVersion : max;
        }
    }

    /// <summary>True for an SSL 2.0-compatible hello: no extensions, no SNI, no fingerprints.</summary>
    public bool IsLegacyV2Hello => _layout.IsLegacyV2Hello;

    /// <summary>The legacy_session_id length (0..32).</summary>
    public int SessionIdLength => _layout.SessionIdLength;

    /// <summary>True when the hello carried a server_name extension (JA4 "d"), even one not reported as a name.</summary>
    public bool HasServerNameExtension => _layout.HasServerNameExtension;

    /// <summary>True when <see cref="ServerName"/> holds a host_name.</summary>
    public bool HasServerName => _layout.ServerName.IsPresent;

    /// <summary>The raw host_name bytes, as sent (case and any trailing dot preserved); empty when there is none.</summary>
    public ReadOnlySpan<byte> ServerName => _layout.ServerName.In(_message);

    /// <summary>Observations about the host_name (trailing dot, IP literal, non-ASCII, control characters, invalid DNS syntax).</summary>
    /// <remarks>Computed on each call from the host_name bytes (also when the strict profile withheld an IP literal).</remarks>
    public ServerNameTraits ServerNameTraits =>
        _layout.HostName.IsPresent ? HostNameClassifier.Classify(_layout.HostName.In(_message)) : ServerNameTraits.None;

    /// <summary>The ALPN protocol names in the client's order; empty when there was no ALPN extension.</summary>
    public TlsProtocolNameList ApplicationProtocols => new(_layout.Alpn.In(_message));

    /// <summary>True when the hello carried an ALPN extension.</summary>
    public bool HasApplicationProtocols => _layout.Alpn.IsPresent;

    /// <summary>The cipher suites in wire order (GREASE included).</summary>
    public TlsUInt16List CipherSuites => new(_layout.CipherSuites.In(_message));

    /// <summary>The legacy_compression_methods bytes.</summary>
    public ReadOnlySpan<byte> CompressionMethods => _layout.CompressionMethods.In(_message);

    /// <summary>True when the hello had an extensions block (even an empty one).</summary>
    public bool HasExtensions => _layout.Extensions.IsPresent;

    /// <summary>The extensions in wire order.</summary>
    public TlsExtensionList Extensions => new(_layout.Extensions.In(_message));

    /// <summary>supported_versions (43) in wire order; empty when absent.</summary>
    public TlsUInt16List SupportedVersions => new(_layout.SupportedVersions.In(_message));

    /// <summary>supported_groups (10) in wire order; empty when absent.</summary>
    public TlsUInt16List SupportedGroups => new(_layout.SupportedGroups.In(_message));

    /// <summary>signature_algorithms (13) in wire order; empty when absent.</summary>
    public TlsUInt16List SignatureAlgorithms => new(_layout.SignatureAlgorithms.In(_message));

    /// <summary>The key_share (51) groups in wire order; empty when absent.</summary>
    public TlsKeyShareGroupList KeyShareGroups => new(_layout.KeyShares.In(_message));

    /// <summary>ec_point_formats (11); empty when absent.</summary>
    public ReadOnlySpan<byte> EcPointFormats => _layout.EcPointFormats.In(_message);

    /// <summary>Which ECH extension the hello carried. With <see cref="ClientHelloEchKind.Outer"/> the SNI is only the public name.</summary>
    public ClientHelloEchKind Ech => _layout.Ech;

    /// <summary>True when any RFC 8701 GREASE value was seen (cipher suites, extensions, versions, groups, key shares).</summary>
    /// <remarks>Computed on each call by walking those lists.</remarks>
    public bool GreaseSeen
    {
        get
        {
            if (ClientHelloParser.ContainsGrease(CipherSuites.Bytes)
                || ClientHelloParser.ContainsGrease(SupportedVersions.Bytes)
                || ClientHelloParser.ContainsGrease(SupportedGroups.Bytes))
            {
                return true;
            }

            foreach (TlsExtension extension in Extensions)
            {
                if (TlsWire.IsGrease(extension.Type))
                {
                    return true;
                }
            }

            foreach (ushort group in KeyShareGroups)
            {
                if (TlsWire.IsGrease(group))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>True when the hello carried pre_shared_key (41).</summary>
    public bool HasPreSharedKey => _layout.HasPreSharedKey;

    /// <summary>What the lenient profile tolerated; always <see cref="ClientHelloTolerances.None"/> under the strict profile.</summary>
    public ClientHelloTolerances Tolerances => _layout.Tolerances;

    /// <summary>
    /// Compares the host_name with <paramref name="name"/> ASCII case-insensitively, ignoring one trailing dot on
    /// either side (RFC 6066 §3: comparison is case-insensitive). False when there is no host_name.
    /// </summary>
    /// <param name="name">The name to compare with.</param>
    /// <returns>True when they name the same host.</returns>
    public bool ServerNameEquals(ReadOnlySpan<char> name) =>
        HasServerName && HostNameClassifier.EqualsIgnoreCase(ServerName, name);

    /// <summary>
    /// The host_name as a string (allocates), exactly as sent (case and any trailing dot kept), or null when there is
    /// none or it is not ASCII.
    /// </summary>
    /// <remarks>
    /// Never decodes with replacement characters: RFC 6066 §3 makes the name ASCII, so each byte becomes the one
    /// <see cref="char"/> of the same value, and a name holding a byte above 0x7F (only the lenient profile lets one
    /// through, with <see cref="ServerNameTraits.NonAscii"/>) gives null rather than a different name. As with
    /// <c>SslStream</c>'s server name, null then means "no usable name"; the bytes are in <see cref="ServerName"/>.
    /// Under the lenient profile the string may hold control characters (<see cref="ServerNameTraits.ControlCharacter"/>):
    /// escape it before writing it to a log. The strict profile admits only printable ASCII (0x21–0x7E).
    /// </remarks>
    /// <returns>The name as sent, or null.</returns>
    public string? GetServerName() => HasServerName ? AsciiText.TryDecode(ServerName) : null;

    /// <summary>The ALPN protocol names as strings (allocates), in the client's order.</summary>
    /// <remarks>
    /// A name that is valid UTF-8 is decoded exactly; any other is written as its bytes in hex, <c>"0x68 0x32"</c>, as
    /// <c>SslApplicationProtocol.ToString()</c> does: never with replacement characters. The bytes are in
    /// <see cref="ApplicationProtocols"/>.
    /// </remarks>
    /// <returns>The names; empty when there was no ALPN extension.</returns>
    public string[] GetApplicationProtocols()
    {
        if (ApplicationProtocols.Count == 0)
        {
            return [];
        }

        var names = new string[ApplicationProtocols.Count];
        int i = 0;
        foreach (ReadOnlySpan<byte> name in ApplicationProtocols)
        {
            names[i++] = AsciiText.DecodeProtocolName(name);
        }

        return names;
    }

    /// <summary>Writes the JA3 string (GREASE removed everywhere) without allocating.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="charsWritten">The characters written.</param>
    /// <returns>False when <paramref name="destination"/> is too small or the hello is SSLv2-compatible.</returns>
    public bool TryFormatJa3(Span<char> destination, out int charsWritten) =>
        Ja3Fingerprint.TryFormat(this, destination, out charsWritten);

    /// <summary>Writes the JA3 hash: the lower-case hex MD5 of the JA3 string (32 characters), without allocating.</summary>
    /// <param name="destination">At least 32 characters.</param>
    /// <param name="charsWritten">32 on success.</param>
    /// <returns>False when <paramref name="destination"/> is too small or the hello is SSLv2-compatible.</returns>
    public bool TryFormatJa3Hash(Span<char> destination, out int charsWritten) =>
        Ja3Fingerprint.TryFormatHash(this, destination, out charsWritten);

    /// <summary>Writes the JA4 fingerprint (FoxIO spec, TLS over TCP, 36 characters) without allocating.</summary>
    /// <param name="destination">At least 36 characters.</param>
    /// <param name="charsWritten">36 on success.</param>
    /// <returns>False when <paramref name="destination"/> is too small or the hello is SSLv2-compatible.</returns>
    public bool TryFormatJa4(Span<char> destination, out int charsWritten) =>
        Ja4Fingerprint.TryFormat(this, destination, out charsWritten);

    /// <summary>The JA3 string (allocates); null for an SSLv2-compatible hello.</summary>
    /// <returns>The string or null.</returns>
    public string? GetJa3()
    {
        if (IsLegacyV2Hello)
        {
            return null;
        }

        char[] buffer = ArrayPool<char>.Shared.Rent(Ja3Fingerprint.MaxLength(this));
        try
        {
            return TryFormatJa3(buffer, out int written) ? new string(buffer, 0, written) : null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The JA3 hash (allocates); null for an SSLv2-compatible hello.</summary>
    /// <returns>32 lower-case hex characters or null.</returns>
    public string? GetJa3Hash()
    {
        Span<char> buffer = stackalloc char[Ja3Fingerprint.HashLength];
        return TryFormatJa3Hash(buffer, out int written) ? new string(buffer[..written]) : null;
    }

    /// <summary>The JA4 fingerprint (allocates); null for an SSLv2-compatible hello.</summary>
    /// <returns>The fingerprint or null.</returns>
    public string? GetJa4()
    {
        Span<char> buffer = stackalloc char[Ja4Fingerprint.Length];
        return TryFormatJa4(buffer, out int written) ? new string(buffer[..written]) : null;
    }

    /// <summary>Returns the pooled reassembly buffer, if one was rented. The spans must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}
