using System.Text;
using FsCheck.Xunit;
using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.Testing.ClientHellos;
using B = MeshGateway.Testing.ClientHellos.ClientHelloBuilder;

namespace MeshGateway.ClientHello.Tests.EdgeCases;

/// <summary>
/// host_name bytes (RFC 6066 §3: ASCII): the strict profile admits only printable ASCII (RFC 5234 VCHAR, 0x21–0x7E),
/// the lenient profile admits the rest but says so, and no accessor ever shows a name other than the wire bytes.
/// </summary>
public class HostNameBytesTests
{
    // The attack from issue 14: a name that ends one connection-log line and writes a whole forged one.
    private const string ForgedLine =
        "web.default.dc2.internal.11111111-2222-3333-4444-555555555555.consul\n"
        + "2026-12-06T00:00:00.000Z closed client=127.0.0.1:5555 sni=web.default.dc1.internal.x.consul route=FORGED";

    private static readonly ClientHelloParserOptions Lenient = ClientHelloParserOptions.Lenient;

    [Theory]
    [InlineData(0x0A)] // LF
    [InlineData(0x0D)] // CR
    [InlineData(0x1B)] // ESC
    [InlineData(0x09)] // TAB
    [InlineData(0x20)] // space
    [InlineData(0x7F)] // DEL
    [InlineData(0x80)]
    [InlineData(0xC3)] // a UTF-8 lead byte
    [InlineData(0xFF)]
    public void Strict_profile_rejects_a_host_name_byte_outside_printable_ascii(byte b)
    {
        Outcome outcome = Parse.OneShot(HelloWith(NameWith(b)));

        Assert.Equal(ClientHelloStatus.Malformed, outcome.Status);
        Assert.Equal(ClientHelloMalformedReason.HostNameNotPrintableAscii, outcome.Reason);
    }

    [Fact]
    public void Every_byte_value_is_judged_by_the_printable_ascii_rule()
    {
        for (int b = 0; b < 256; b++)
        {
            Outcome strict = Parse.OneShot(HelloWith(NameWith((byte)b)));
            Outcome lenient = Parse.OneShot(HelloWith(NameWith((byte)b)), Lenient);

            bool printable = b is >= 0x21 and <= 0x7E;
            ClientHelloMalformedReason expected = b == 0 ? ClientHelloMalformedReason.HostNameContainsNul
                : printable ? ClientHelloMalformedReason.None
                : ClientHelloMalformedReason.HostNameNotPrintableAscii;
            Assert.True(expected == strict.Reason, $"0x{b:x2}: strict {strict.Status} {strict.Reason}");
            Assert.Equal(b == 0 ? ClientHelloStatus.Malformed : ClientHelloStatus.Done, lenient.Status);
            if (b != 0)
            {
                Assert.Equal(printable ? ClientHelloTolerances.None : ClientHelloTolerances.HostNameNotPrintableAscii, lenient.Tolerances);
                Assert.Equal(b is <= 0x20 or 0x7F, lenient.Traits.HasFlag(ServerNameTraits.ControlCharacter));
                Assert.Equal(b >= 0x80, lenient.Traits.HasFlag(ServerNameTraits.NonAscii));
            }
        }
    }

    // An ASCII control byte comes back in the string exactly; a byte above 0x7F makes the string null (never U+FFFD).
    [Theory]
    [InlineData(0x0A)]
    [InlineData(0x0D)]
    [InlineData(0x1B)]
    [InlineData(0x7F)]
    [InlineData(0x80)]
    [InlineData(0xC3)]
    [InlineData(0xFF)]
    public void Lenient_profile_keeps_the_exact_bytes_of_a_name_outside_printable_ascii_and_flags_it(byte b)
    {
        byte[] name = NameWith(b);
        Assert.True(ClientHelloParser.Parse(HelloWith(name), Lenient, out ClientHelloInfo hello, out _, out _) == ClientHelloStatus.Done);
        using (hello)
        {
            Assert.True(hello.HasServerName);
            Assert.True(hello.ServerName.SequenceEqual(name));
            Assert.Equal(b < 0x80 ? Encoding.ASCII.GetString(name) : null, hello.GetServerName());
            Assert.Equal(ClientHelloTolerances.HostNameNotPrintableAscii, hello.Tolerances);
            Assert.True(hello.ServerNameTraits.HasFlag(b < 0x80 ? ServerNameTraits.ControlCharacter : ServerNameTraits.NonAscii));
        }
    }

    [Fact]
    public void Forged_log_line_in_the_sni_is_malformed_under_the_strict_profile()
    {
        byte[] hello = HelloWith(Encoding.ASCII.GetBytes(ForgedLine));

        Outcome outcome = Parse.OneShot(hello);

        Assert.Equal(ClientHelloStatus.Malformed, outcome.Status);
        Assert.Equal(ClientHelloMalformedReason.HostNameNotPrintableAscii, outcome.Reason);
        using var sniffer = new ClientHelloSniffer();
        Assert.Equal(ClientHelloStatus.Malformed, sniffer.Sniff(hello));
        Assert.Null(sniffer.GetServerName());
    }

    [Fact]
    public void Forged_log_line_in_the_sni_is_shown_byte_for_byte_under_the_lenient_profile()
    {
        byte[] hello = HelloWith(Encoding.ASCII.GetBytes(ForgedLine));
        using var sniffer = new ClientHelloSniffer(Lenient);

        Assert.Equal(ClientHelloStatus.Done, sniffer.Sniff(hello));

        Assert.Equal(ForgedLine, sniffer.GetServerName());
        Assert.Equal(ClientHelloTolerances.HostNameNotPrintableAscii, sniffer.Hello.Tolerances);
        Assert.True(sniffer.Hello.ServerNameTraits.HasFlag(ServerNameTraits.ControlCharacter));
        Assert.True(sniffer.Hello.ServerName.SequenceEqual(Encoding.ASCII.GetBytes(ForgedLine)));
    }

    [Fact]
    public void A_one_word_forged_field_with_spaces_is_malformed_under_the_strict_profile()
    {
        Outcome outcome = Parse.OneShot(HelloWith("web.default.dc1.internal.x.consul route=FORGED"u8.ToArray()));

        Assert.Equal(ClientHelloMalformedReason.HostNameNotPrintableAscii, outcome.Reason);
    }

    // Whatever the name bytes, the strict profile accepts only printable ASCII, and no profile hands out a string that
    // differs from the wire bytes: either one char per byte, or null.
    [Property(MaxTest = 2_000)]
    public void No_profile_reports_a_name_other_than_the_wire_bytes(byte[] name)
    {
        if (name.Length is 0 or > 255)
        {
            return;
        }

        foreach (ClientHelloParserOptions options in (ClientHelloParserOptions[])[ClientHelloParserOptions.Default, Lenient])
        {
            ClientHelloStatus status = ClientHelloParser.Parse(HelloWith(name), options, out ClientHelloInfo hello, out _, out _);
            using (hello)
            {
                if (status != ClientHelloStatus.Done || !hello.HasServerName)
                {
                    continue;
                }

                Assert.True(hello.ServerName.SequenceEqual(name));
                string? text = hello.GetServerName();
                Assert.True(text is null ? !Ascii.IsValid(name) : Ascii.Equals(name, text) && text.Length == name.Length);
                if (options.Profile == ClientHelloProfile.Strict)
                {
                    Assert.True(name.All(b => b is >= 0x21 and <= 0x7E), Convert.ToHexString(name));
                }
            }
        }
    }

    [Fact]
    public void Alpn_names_are_decoded_exactly_or_shown_as_hex_never_with_replacement_characters()
    {
        byte[] hello = B.Build(B.Typical() with
        {
            Extensions = [Ext.ServerName("example.com"), Ext.AlpnRaw("h2"u8.ToArray(), [0xFF, 0xFE], "spdé"u8.ToArray())],
        });
        Assert.True(ClientHelloParser.TryParse(hello, out ClientHelloInfo info));

        Assert.Equal(["h2", "0xff 0xfe", "spdé"], info.GetApplicationProtocols());
    }

    // "ab" + b + "c.example": the byte under test sits inside a label, so '.' keeps the name valid.
    private static byte[] NameWith(byte b) => [(byte)'a', (byte)'b', b, .. "c.example"u8];

    private static byte[] HelloWith(byte[] name) =>
        B.Build(B.Typical() with { Extensions = [Ext.ServerName(name), .. B.Typical().Extensions!.Skip(1)] });
}
