using System.Text;
using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.Testing.ClientHellos;
using static MeshGateway.ClientHello.ClientHelloMalformedReason;
using static MeshGateway.ClientHello.ClientHelloStatus;
using B = MeshGateway.Testing.ClientHellos.ClientHelloBuilder;

namespace MeshGateway.ClientHello.Tests.EdgeCases;

/// <summary>
/// Hand-built fixtures for every case #1–#64 of sni-parsers.md §2. Each is the typical hello
/// (<see cref="ClientHelloBuilder.Typical"/>) with one field changed, or literal bytes annotated field by field.
/// </summary>
public static class EdgeCaseFixtures
{
    private static readonly ClientHelloParserOptions Lenient = ClientHelloParserOptions.Lenient;
    private static readonly ClientHelloParserOptions RefuseTrailingDot = new(acceptTrailingDot: false);
    private static readonly ClientHelloParserOptions LenientRefuseTrailingDot = new(ClientHelloProfile.Lenient, acceptTrailingDot: false);

    public static IReadOnlyList<EdgeCase> All { get; } = Build().ToArray();

    public static TheoryData<string> Ids => new(All.Select(c => c.Id));

    public static TheoryData<string> DoneIds => new(All.Where(c => c.Expected == Done).Select(c => c.Id));

    public static EdgeCase Get(string id) => All.Single(c => c.Id == id);

    private static HelloModel Typical => B.Typical();

    private static byte[] Hello(HelloModel model) => B.Build(model);

    private static HelloModel WithExtensions(params ExtensionModel[] extensions) => Typical with { Extensions = extensions };

    private static HelloModel Replace(ushort type, ExtensionModel replacement) =>
        Typical with { Extensions = Typical.Extensions!.Select(e => e.Type == type ? replacement : e).ToArray() };

    private static HelloModel Append(params ExtensionModel[] extensions) =>
        Typical with { Extensions = Typical.Extensions!.Concat(extensions).ToArray() };

    // A record around a raw handshake body (for bodies the builder cannot express).
    private static byte[] RawBody(byte[] body, ushort recordVersion = 0x0301) => B.Record(B.Handshake(body), recordVersion);

    private static byte[] TypicalBody => B.Body(Typical);

    // Prefix of the body up to and including the compression methods of the typical hello.
    private static byte[] FixedPart(HelloModel model) => B.Body(model with { Extensions = null });

    private static IEnumerable<EdgeCase> Build()
    {
        byte[] typical = Hello(Typical);
        byte[] typicalHandshake = B.Handshake(Typical);

        // ---- Framing and transport ----
        yield return new("01a empty input", [], NeedMoreData);
        yield return new("01b content type only", [0x16], NeedMoreData);
        yield return new("01c type and major", [0x16, 0x03], NeedMoreData);
        yield return new("01d type and version", [0x16, 0x03, 0x01], NeedMoreData);
        yield return new("01e header minus one byte", [0x16, 0x03, 0x01, 0x02], NeedMoreData);
        yield return new("02 typical hello, one shot", typical, Done, Check: o =>
        {
            Assert.Equal("example.com", o.ServerName);
            Assert.Equal(typical.Length, o.Length);
        });
        yield return new("03a plaintext HTTP", "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"u8.ToArray(), NotTls);
        yield return new("03b CONNECT", "CONNECT host:443 HTTP/1.1\r\n"u8.ToArray(), NotTls);
        yield return new("03c zeros", new byte[100], NotTls);
        yield return new("03d SSH banner", "SSH-2.0-OpenSSH_9.2\r\n"u8.ToArray(), NotTls);
        yield return new("04a handshake type with major 2", [0x16, 0x02, 0x00, 0x00, 0x30], NotTls);
        yield return new("04b handshake type with major 4", [0x16, 0x04, 0x01], NotTls);
        yield return new("05a record version 0x0300 around TLS 1.2, strict", Hello(Typical with { RecordVersion = 0x0300 }), Malformed, Ssl3RecordVersion);
        yield return new("05b record version 0x0300 around TLS 1.2, lenient", Hello(Typical with { RecordVersion = 0x0300 }), Done, Options: Lenient,
            Check: o => Assert.Equal(ClientHelloTolerances.Ssl3RecordVersion, o.Tolerances));
        yield return new("06 record 0x0301 with TLS 1.3 hello", typical, Done, Check: o =>
        {
            Assert.Equal(0x0303, o.LegacyVersion);
            Assert.Equal(0x0304, o.MaxVersion);
        });
        yield return new("07 record length 0", [0x16, 0x03, 0x01, 0x00, 0x00 /* length 0 */], Malformed, EmptyRecord);
        byte[] overflow = Hello(Append(Ext.Padding(16385 - typicalHandshake.Length)));
        yield return new("08a record length 16389 strict", overflow, Malformed, RecordOverflow, Options: new ClientHelloParserOptions(maxHandshakeLength: 65536));
        yield return new("08b record length 16389 lenient", overflow, Done, Options: new ClientHelloParserOptions(ClientHelloProfile.Lenient, 65536),
            Check: o => Assert.Equal(ClientHelloTolerances.RecordOverflow, o.Tolerances));
        yield return new("09 record length 0xFFFF", [0x16, 0x03, 0x01, 0xFF, 0xFF /* length 65535 */], TooLarge);
        yield return new("10a split inside handshake header", B.Records(typicalHandshake, [2]), Done, Check: SameSni(2));
        yield return new("10b split inside random", B.Records(typicalHandshake, [20]), Done, Check: SameSni(2));
        int sniOffset = Array.IndexOf(typicalHandshake, (byte)'e', 40);
        yield return new("10c split inside the host_name", B.Records(typicalHandshake, [sniOffset + 3]), Done, Check: SameSni(2));
        yield return new("10d one byte per record", B.Records(typicalHandshake, Enumerable.Repeat(1, typicalHandshake.Length)), Done, Check: SameSni(typicalHandshake.Length));
        yield return new("11 first record carries 3 handshake bytes, nothing else yet", B.Records(typicalHandshake, [3])[..8], NeedMoreData);
        yield return new("12a CCS between fragments", Wire.Concat(B.Record(typicalHandshake[..50]), B.Record([1], type: 0x14), B.Record(typicalHandshake[50..])), Malformed, InterleavedRecord);
        yield return new("12b alert between fragments", Wire.Concat(B.Record(typicalHandshake[..50]), B.Record([2, 40], type: 0x15), B.Record(typicalHandshake[50..])), Malformed, InterleavedRecord);
        yield return new("12c application data between fragments", Wire.Concat(B.Record(typicalHandshake[..50]), B.Record([9, 9, 9], type: 0x17), B.Record(typicalHandshake[50..])), Malformed, InterleavedRecord);
        byte[] coalesced = B.Record(Wire.Concat(typicalHandshake, [0x0B, 0x00, 0x00, 0x00] /* a Certificate header */));
        yield return new("13a bytes after the hello in its record, strict", coalesced, Malformed, TrailingHandshakeData);
        yield return new("13b bytes after the hello in its record, lenient", coalesced, Done, Options: Lenient, Check: o =>
        {
            Assert.Equal("example.com", o.ServerName);
            Assert.Equal(ClientHelloTolerances.TrailingHandshakeData, o.Tolerances);
        });
        yield return new("14 hello then CCS and early data", Wire.Concat(typical, B.Record([1], type: 0x14), B.Record(new byte[40], 0x0303, 0x17)), Done,
            Check: o => Assert.Equal(typical.Length, o.Length));
        byte[] serverHello = (byte[])typical.Clone();
        serverHello[5] = 0x02; // msg_type server_hello
        yield return new("15a ServerHello", serverHello, NotClientHello);
        yield return new("15b certificate handshake, header only", [0x16, 0x03, 0x03, 0x00, 0x10, 0x0B], NotClientHello);
        yield return new("16 handshake length 0x010000, header only", [0x16, 0x03, 0x01, 0x40, 0x00, /* handshake */ 0x01, 0x01, 0x00, 0x00], TooLarge);
        yield return new("17 handshake longer than the first record", B.Records(typicalHandshake, [100])[..105], NeedMoreData);
        byte[] claimsMore = (byte[])typical.Clone();
        claimsMore[3] = (byte)((typical.Length - 5 + 4) >> 8);
        claimsMore[4] = (byte)(typical.Length - 5 + 4); // the record promises 4 bytes the client never sends
        yield return new("18 record claims 4 more bytes than sent", claimsMore, NeedMoreData);
        yield return new("19a handshake length 0", [0x16, 0x03, 0x01, 0x00, 0x04, /* handshake */ 0x01, 0x00, 0x00, 0x00], Malformed, ClientHelloTooShort);
        yield return new("19b handshake length 34", RawBody(new byte[34]), Malformed, ClientHelloTooShort);
        yield return new("20 client sends nothing", [], NeedMoreData);
        yield return new("21 partial hello then FIN", typical[..(typical.Length / 2)], NeedMoreData);
        byte[] large = Hello(Append(Ext.Padding(16000)));
        yield return new("22 16 KiB hello (fed byte by byte in the split tests)", large, Done);
        yield return new("23 20 KB HTTP POST", Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\n\r\n" + new string('x', 20000)), NotTls);

        // ---- ClientHello body ----
        yield return new("24 session id 33 bytes", Hello(Typical with { SessionId = new byte[33] }), Malformed, SessionIdTooLong);
        byte[] oddCiphers = Wire.Concat(Wire.U16(0x0303), new byte[32], [0x00], /* cipher_suites */ Wire.U16(3), [0x13, 0x01, 0x13], /* compression */ [0x01, 0x00]);
        yield return new("25a cipher suites odd length", RawBody(oddCiphers), Malformed, CipherSuitesOddLength);
        yield return new("25b cipher suites empty", Hello(Typical with { CipherSuites = [] }), Malformed, CipherSuitesEmpty);
        yield return new("26 compression methods empty", Hello(Typical with { CompressionMethods = [] }), Malformed, CompressionMethodsEmpty);
        yield return new("27 no extensions block", Hello(Typical with { Extensions = null }), Done, Check: o =>
        {
            Assert.Null(o.ServerName);
            Assert.StartsWith("t12i", o.Ja4, StringComparison.Ordinal);
        });
        yield return new("28 one byte after compression methods", RawBody(Wire.Concat(FixedPart(Typical), [0x00])), Malformed, TruncatedExtensionsLength);
        byte[] extensionsBlock = TypicalBody[(FixedPart(Typical).Length + 2)..];
        yield return new("29a extensions length one short", RawBody(Wire.Concat(FixedPart(Typical), Wire.U16(extensionsBlock.Length - 1), extensionsBlock)), Malformed, ExtensionsLengthMismatch);
        yield return new("29b extensions length one long", RawBody(Wire.Concat(FixedPart(Typical), Wire.U16(extensionsBlock.Length + 1), extensionsBlock)), Malformed, ExtensionsLengthMismatch);
        byte[] overrun = Wire.Concat(/* extension_type */ Wire.U16(0x0017), /* extension_data length, 4 too many */ Wire.U16(4));
        yield return new("30 extension overruns the block", RawBody(Wire.Concat(FixedPart(Typical), Wire.U16Vector(overrun))), Malformed, ExtensionOverrun);
        byte[] stray = Wire.Concat(FixedPart(Typical), Wire.U16Vector(Wire.Concat(extensionsBlock, [0x00, 0x17, 0x00] /* 3 stray bytes */)));
        yield return new("31a stray bytes after the last extension, strict", RawBody(stray), Malformed, TrailingExtensionBytes);
        yield return new("31b stray bytes after the last extension, lenient", RawBody(stray), Done, Options: Lenient,
            Check: o => Assert.Equal(ClientHelloTolerances.TrailingExtensionBytes, o.Tolerances));
        yield return new("32 zero-length extension last", Hello(Append(Ext.Raw(0x0017 /* extended_master_secret */))), Done);
        HelloModel twoSni = Append(Ext.ServerName("other.example"));
        yield return new("33a two server_name extensions, strict", Hello(twoSni), Malformed, DuplicateExtension);
        yield return new("33b two server_name extensions, lenient: first wins", Hello(twoSni), Done, Options: Lenient, Check: o =>
        {
            Assert.Equal("example.com", o.ServerName);
            Assert.Equal(ClientHelloTolerances.DuplicateExtension, o.Tolerances);
        });
        yield return new("34a duplicate supported_versions", Hello(Append(Ext.SupportedVersions(0x0304))), Malformed, DuplicateExtension);
        yield return new("34b duplicate key_share", Hello(Append(Ext.KeyShare((0x0017, 65)))), Malformed, DuplicateExtension);
        yield return new("34c duplicate among 70 extensions", Hello(WithExtensions(
            Enumerable.Range(0x1000, 69).Select(t => Ext.Raw((ushort)t)).Append(Ext.Raw(0x1005)).ToArray())), Malformed, DuplicateExtension);
        HelloModel lateDuplicate = WithExtensions(
            [Ext.ServerName("first.example"), .. Enumerable.Range(0x1000, 70).Select(t => Ext.Raw((ushort)t)), Ext.ServerName("second.example")]);
        yield return new("34d duplicate server_name after 70 extensions, strict", Hello(lateDuplicate), Malformed, DuplicateExtension);
        yield return new("34e duplicate server_name after 70 extensions, lenient: first wins", Hello(lateDuplicate), Done, Options: Lenient, Check: o =>
        {
            Assert.Equal("first.example", o.ServerName);
            Assert.Equal(ClientHelloTolerances.DuplicateExtension, o.Tolerances);
        });
        HelloModel pskFirst = Typical with { Extensions = Typical.Extensions!.Prepend(Ext.PreSharedKey()).ToArray() };
        yield return new("35a pre_shared_key not last, strict", Hello(pskFirst), Malformed, PreSharedKeyNotLast);
        yield return new("35b pre_shared_key last", Hello(Append(Ext.PreSharedKey())), Done, Check: o => Assert.True(o.PreSharedKey));

        // ---- server_name ----
        yield return new("36 server_name list length 0", Hello(Replace(0, Ext.Raw(0, 0x00, 0x00 /* server_name_list length 0 */))), Malformed, ServerNameListEmpty);
        yield return new("37 host_name length 0", Hello(Replace(0, Ext.ServerName(""))), Malformed, HostNameEmpty);
        HelloModel twoHosts = Replace(0, Ext.ServerNameEntries((0, "a.example"u8.ToArray()), (0, "b.example"u8.ToArray())));
        yield return new("38a two host_names, strict", Hello(twoHosts), Malformed, MultipleHostNames);
        yield return new("38b two host_names, lenient: first wins", Hello(twoHosts), Done, Options: Lenient, Check: o => Assert.Equal("a.example", o.ServerName));
        HelloModel unknownAfter = Replace(0, Ext.ServerNameEntries((0, "a.example"u8.ToArray()), (1, "x"u8.ToArray())));
        yield return new("39a unknown name_type, strict", Hello(unknownAfter), Malformed, UnknownServerNameType);
        yield return new("39b unknown name_type after host_name, lenient", Hello(unknownAfter), Done, Options: Lenient, Check: o =>
        {
            Assert.Equal("a.example", o.ServerName);
            Assert.Equal(ClientHelloTolerances.UnknownServerNameType, o.Tolerances);
        });
        byte[] hugeName = Wire.Concat(/* list length */ Wire.U16(5), /* host_name */ [0x00], /* name length 0xFFFF */ Wire.U16(0xFFFF), "ab"u8.ToArray());
        yield return new("40 name_len 0xFFFF in a small hello", Hello(Replace(0, Ext.Raw(0, hugeName))), Malformed, ServerNameEntryOverrun);
        byte[] sniBody = Ext.ServerName("example.com").Data;
        yield return new("41a name list length one short", Hello(Replace(0, Ext.Raw(0, Wire.Concat(Wire.U16(sniBody.Length - 3), sniBody[2..])))), Malformed, ServerNameListLengthMismatch);
        yield return new("41b name list length one long", Hello(Replace(0, Ext.Raw(0, Wire.Concat(Wire.U16(sniBody.Length - 1), sniBody[2..])))), Malformed, ServerNameListLengthMismatch);
        // One trailing dot: accepted by default (browsers send it for https://host./), the name kept as sent.
        yield return new("42a trailing dot, strict", Hello(B.Typical("example.com.")), Done, Check: o =>
        {
            Assert.Equal("example.com.", o.ServerName);
            Assert.Equal(ServerNameTraits.TrailingDot, o.Traits);
            Assert.Equal(ClientHelloTolerances.None, o.Tolerances);
        });
        yield return new("42b trailing dot, lenient", Hello(B.Typical("example.com.")), Done, Options: Lenient, Check: o =>
        {
            Assert.Equal("example.com.", o.ServerName);
            Assert.Equal(ServerNameTraits.TrailingDot, o.Traits);
            Assert.Equal(ClientHelloTolerances.None, o.Tolerances);
        });
        yield return new("42c trailing dot, strict, refused by option", Hello(B.Typical("example.com.")), Malformed, HostNameTrailingDot, Options: RefuseTrailingDot);
        yield return new("42d trailing dot, lenient, refused by option", Hello(B.Typical("example.com.")), Done, Options: LenientRefuseTrailingDot, Check: o =>
        {
            Assert.Equal("example.com.", o.ServerName);
            Assert.Equal(ClientHelloTolerances.HostNameTrailingDot, o.Tolerances);
        });
        yield return new("42e two trailing dots, strict", Hello(B.Typical("example.com..")), Malformed, HostNameEmptyLabel);
        yield return new("42f two trailing dots, lenient", Hello(B.Typical("example.com..")), Done, Options: Lenient, Check: o =>
        {
            Assert.Equal("example.com..", o.ServerName);
            Assert.Equal(ClientHelloTolerances.HostNameEmptyLabel, o.Tolerances);
        });
        yield return new("42g empty label inside, strict", Hello(B.Typical("example..com")), Malformed, HostNameEmptyLabel);
        yield return new("42h leading dot, strict", Hello(B.Typical(".example.com")), Malformed, HostNameEmptyLabel);
        yield return new("42i only the root dot, strict", Hello(B.Typical(".")), Malformed, HostNameEmptyLabel);
        yield return new("42j only the root dot, strict, refusing trailing dots", Hello(B.Typical(".")), Malformed, HostNameEmptyLabel, Options: RefuseTrailingDot);
        yield return new("43 mixed case", Hello(B.Typical("ExAmple.COM")), Done, Check: o => Assert.Equal("ExAmple.COM", o.ServerName));
        yield return new("44 embedded NUL", Hello(B.Typical("a\0b.example")), Malformed, HostNameContainsNul);
        yield return new("45a raw UTF-8, strict", Hello(B.Typical("bücher.de")), Malformed, HostNameNotPrintableAscii);
        yield return new("45b raw UTF-8, lenient: no string, never a replacement character", Hello(B.Typical("bücher.de")), Done, Options: Lenient, Check: o =>
        {
            Assert.Null(o.ServerName);
            Assert.Equal(ServerNameTraits.NonAscii | ServerNameTraits.InvalidDnsSyntax, o.Traits);
            Assert.Equal(ClientHelloTolerances.HostNameNotPrintableAscii, o.Tolerances);
        });
        yield return new("46 A-label", Hello(B.Typical("xn--bcher-kva.de")), Done, Check: o =>
        {
            Assert.Equal("xn--bcher-kva.de", o.ServerName);
            Assert.Equal(ServerNameTraits.None, o.Traits);
        });
        yield return new("47a IPv4 literal, strict: no SNI", Hello(B.Typical("192.0.2.1")), Done, Check: o =>
        {
            Assert.Null(o.ServerName);
            Assert.Equal(ServerNameTraits.IpLiteral, o.Traits);
        });
        yield return new("47b IPv4 literal, lenient", Hello(B.Typical("192.0.2.1")), Done, Options: Lenient, Check: o => Assert.Equal("192.0.2.1", o.ServerName));
        yield return new("47c IPv6 literal", Hello(B.Typical("::1")), Done, Check: o => Assert.True(o.Traits.HasFlag(ServerNameTraits.IpLiteral)));
        yield return new("47d bracketed IPv6 literal", Hello(B.Typical("[2001:db8::1]")), Done, Options: Lenient, Check: o =>
        {
            Assert.Equal("[2001:db8::1]", o.ServerName);
            Assert.True(o.Traits.HasFlag(ServerNameTraits.IpLiteral));
        });
        string name255 = string.Join(".", Enumerable.Repeat(new string('a', 63), 4))[..255];
        yield return new("48a host name of 255 bytes", Hello(B.Typical(name255)), Done, Check: o => Assert.Equal(name255, o.ServerName));
        yield return new("48b host name of 256 bytes", Hello(B.Typical(name255 + "a")), Malformed, HostNameTooLong);
        foreach (string odd in new[] { "a..b.com", ".example.com", new string('a', 64) + ".com", "example.com:443" })
        {
            // An empty label is malformed under the strict profile (42g, 42h); the lenient one still reports the trait.
            bool emptyLabel = odd.StartsWith('.') || odd.Contains("..", StringComparison.Ordinal);
            yield return new($"49 invalid DNS syntax '{odd[..Math.Min(odd.Length, 20)]}'", Hello(B.Typical(odd)), Done, Options: emptyLabel ? Lenient : null, Check: o =>
            {
                Assert.Equal(odd, o.ServerName);
                Assert.True(o.Traits.HasFlag(ServerNameTraits.InvalidDnsSyntax));
            });
        }

        yield return new("50 no server_name", Hello(WithExtensions(Typical.Extensions!.Where(e => e.Type != 0).ToArray())), Done, Check: o =>
        {
            Assert.Null(o.ServerName);
            Assert.StartsWith("t13i", o.Ja4, StringComparison.Ordinal);
        });

        // ---- ALPN ----
        yield return new("51a ALPN list length 0", Hello(Replace(16, Ext.Raw(16, 0x00, 0x00))), Malformed, AlpnListTooShort);
        yield return new("51b ALPN list length 1", Hello(Replace(16, Ext.Raw(16, 0x00, 0x01, 0x00))), Malformed, AlpnListTooShort);
        yield return new("52 ALPN empty protocol", Hello(Replace(16, Ext.Raw(16, 0x00, 0x04, /* h2 */ 0x02, 0x68, 0x32, /* empty */ 0x00))), Malformed, AlpnProtocolEmpty);
        yield return new("53 ALPN protocol overruns the list", Hello(Replace(16, Ext.Raw(16, 0x00, 0x03, /* length 5 */ 0x05, 0x68, 0x32))), Malformed, AlpnProtocolOverrun);
        yield return new("54 ALPN with GREASE and non-printable names", Hello(Replace(16, Ext.AlpnRaw([0x0A, 0x0A], "h2"u8.ToArray(), "http/1.1"u8.ToArray(), [0x01, 0xFF]))), Done,
            Check: o => Assert.Equal(4, o.Alpn.Split(',').Length));

        // ---- GREASE, post-quantum, ECH, legacy ----
        yield return new("55 GREASE everywhere", Hello(ChromeLike(grease: true)), Done, Check: o =>
        {
            Assert.True(o.Grease);
            Assert.Equal(Parse.OneShot(Hello(ChromeLike(grease: false))).Ja3, o.Ja3);
            Assert.Equal(Parse.OneShot(Hello(ChromeLike(grease: false))).Ja4, o.Ja4);
        });
        yield return new("56 SNI after a 1216-byte X25519MLKEM768 key share", Hello(ChromeLike(grease: true)), Done, Check: o =>
        {
            Assert.Equal("chrome.example", o.ServerName);
            Assert.True(o.Length > 1500);
        });
        byte[] chrome = Hello(ChromeLike(grease: true));
        yield return new("57 2 KB hello (split at 1460 in the split tests)", chrome, Done);
        byte[] big = Hello(Append(Ext.Padding(12000)));
        yield return new("58a 12 KB hello", big, Done);
        yield return new("58b 12 KB hello over an 8 KiB limit", big, TooLarge, Options: new ClientHelloParserOptions(maxHandshakeLength: 8192));
        yield return new("58c hello over 16 KiB in two records", B.Records(B.Handshake(Append(Ext.Padding(17000))), [16384]), TooLarge);
        yield return new("59 padding extension of zeros", Hello(Append(Ext.Padding(200))), Done);
        yield return new("60 ECH outer with public name", Hello(Append(Ext.EchOuter())), Done, Check: o =>
        {
            Assert.Equal(ClientHelloEchKind.Outer, o.Ech);
            Assert.Equal("example.com", o.ServerName);
        });
        yield return new("61 GREASE ECH (random payload)", Hello(Append(Ext.EchOuter(32, 144))), Done, Check: o => Assert.Equal(ClientHelloEchKind.Outer, o.Ech));
        yield return new("62a ECH inner in a wire hello, strict", Hello(Append(Ext.EchInner())), Malformed, MisplacedEchExtension);
        yield return new("62b ech_outer_extensions in a wire hello, strict", Hello(Append(Ext.Raw(0xFD00, 0x02, 0x00, 0x0A))), Malformed, MisplacedEchExtension);
        yield return new("62c ECH inner, lenient", Hello(Append(Ext.EchInner())), Done, Options: Lenient, Check: o =>
        {
            Assert.Equal(ClientHelloEchKind.Inner, o.Ech);
            Assert.Equal(ClientHelloTolerances.MisplacedEchExtension, o.Tolerances);
        });
        yield return new("63a SSLv2-compatible hello", LegacyV2Hello, Done, Check: o =>
        {
            Assert.True(o.LegacyV2);
            Assert.Null(o.ServerName);
            Assert.Equal(0x0301, o.LegacyVersion);
            Assert.Null(o.Ja4);
        });
        yield return new("63b SSLv2-compatible hello, recognition off", LegacyV2Hello, NotTls, Options: new ClientHelloParserOptions(recognizeLegacyV2Hello: false));
        yield return new("64 SSL 3.0 hello without extensions", Hello(Typical with { RecordVersion = 0x0300, LegacyVersion = 0x0300, Extensions = null }), Done, Check: o =>
        {
            Assert.Null(o.ServerName);
            Assert.Equal(0x0300, o.MaxVersion);
            Assert.StartsWith("ts3i", o.Ja4, StringComparison.Ordinal);
        });
    }

    private static Action<Outcome> SameSni(int records) => o =>
    {
        Assert.Equal("example.com", o.ServerName);
        Assert.Equal("h2,http/1.1", o.Alpn);
        Assert.Equal(records, o.Records);
        Assert.Equal(Parse.OneShot(B.Build(B.Typical())).Ja4, o.Ja4);
    };

    /// <summary>A Chrome-shaped hello: GREASE values, permuted order, a 1216-byte hybrid key share before the SNI.</summary>
    public static HelloModel ChromeLike(bool grease)
    {
        ushort g = 0x3A3A;
        var extensions = new List<ExtensionModel>();
        if (grease)
        {
            extensions.Add(Ext.Raw(0x8A8A));
        }

        extensions.Add(Ext.KeyShare(grease ? [(g, 1), (0x11EC, 1216), (0x001D, 32)] : [(0x11EC, 1216), (0x001D, 32)]));
        extensions.Add(Ext.SupportedVersions(grease ? [0xAAAA, 0x0304, 0x0303] : [0x0304, 0x0303]));
        extensions.Add(Ext.SignatureAlgorithms(0x0403, 0x0804, 0x0401, 0x0503));
        extensions.Add(Ext.Alpn("h2", "http/1.1"));
        extensions.Add(Ext.SupportedGroups(grease ? [g, 0x11EC, 0x001D, 0x0017] : [0x11EC, 0x001D, 0x0017]));
        extensions.Add(Ext.EcPointFormats(0));
        extensions.Add(Ext.EchOuter(32, 208));
        extensions.Add(Ext.ServerName("chrome.example"));
        if (grease)
        {
            extensions.Add(Ext.Raw(0x1A1A, 0x00));
        }

        return new HelloModel
        {
            SessionId = new byte[32],
            CipherSuites = grease ? [0x5A5A, 0x1301, 0x1302, 0x1303, 0xC02B] : [0x1301, 0x1302, 0x1303, 0xC02B],
            Extensions = extensions,
        };
    }

    // An SSL 2.0-compatible CLIENT-HELLO offering TLS 1.0 (RFC 5246 Appendix E.2).
    private static byte[] LegacyV2Hello => Wire.Concat(
        [0x80, 0x22],          // msg_length = 34, high bit set (2-byte header)
        [0x01],                // msg_type = CLIENT-HELLO
        [0x03, 0x01],          // version = TLS 1.0
        [0x00, 0x09],          // cipher_spec_length = 9 (three 3-byte specs)
        [0x00, 0x00],          // session_id_length = 0
        [0x00, 0x10],          // challenge_length = 16
        [0x00, 0x00, 0x2F, 0x00, 0x00, 0x35, 0x00, 0x00, 0xFF], // cipher_specs
        new byte[16]);         // challenge
}
