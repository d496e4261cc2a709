using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests.Fingerprints;

public class Ja4Tests
{
    // The worked example of FoxIO's JA4.md: 15 ciphers and 16 extensions (SNI and ALPN counted, not hashed).
    private static readonly ushort[] SpecCiphers =
        [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035];

    private static readonly ushort[] SpecSignatureAlgorithms = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

    private static HelloModel SpecExample(bool grease) => new()
    {
        CipherSuites = grease ? [0x0A0A, .. SpecCiphers] : SpecCiphers,
        Extensions = new ExtensionModel[]
        {
            Ext.Raw(0x001B, 0x02, 0x00, 0x02), Ext.ServerName("example.com"), Ext.Raw(0x0005, 1, 0, 0, 0, 0),
            Ext.SupportedGroups(0x001D, 0x0017), Ext.EcPointFormats(0), Ext.SignatureAlgorithms(SpecSignatureAlgorithms),
            Ext.Raw(0x0012), Ext.Alpn("h2", "http/1.1"), Ext.Raw(0x0017), Ext.Raw(0x0023), Ext.SupportedVersions(0x0304, 0x0303),
            Ext.Raw(0x002D, 0x01, 0x01), Ext.KeyShare(((ushort)0x001D, 32)), Ext.Raw(0x4469, 0x00, 0x03, 0x02, 0x68, 0x32),
            Ext.Raw(0xFF01, 0x00), Ext.Padding(20),
        }.Concat(grease ? [Ext.Raw(0x2A2A)] : []).ToArray(),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ja4_reproduces_the_foxio_spec_worked_example(bool grease)
    {
        Outcome outcome = Parse.OneShot(ClientHelloBuilder.Build(SpecExample(grease)));

        Assert.Equal("t13d1516h2_8daaf6152771_e5627efa2ab1", outcome.Ja4);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'x' }, "xx")]
    [InlineData(new byte[] { 0xAB, 0xCD }, "ad")]
    [InlineData(new byte[] { 0x20, 0x61 }, "21")]
    [InlineData(new byte[] { 0x68, 0xFF }, "6f")]
    [InlineData(new byte[] { (byte)'h', (byte)'2' }, "h2")]
    public void Ja4_alpn_characters_follow_the_spec_for_odd_first_names(byte[] firstName, string expected)
    {
        HelloModel model = ClientHelloBuilder.Typical() with
        {
            Extensions = ClientHelloBuilder.Typical().Extensions!.Select(e => e.Type == 16 ? Ext.AlpnRaw(firstName, "h2"u8.ToArray()) : e).ToArray(),
        };

        Assert.Equal(expected, Parse.OneShot(ClientHelloBuilder.Build(model)).Ja4![8..10]);
    }

    [Fact]
    public void Ja4_extension_hash_is_zeros_when_only_sni_and_alpn_remain()
    {
        HelloModel model = new() { Extensions = [Ext.ServerName("example.com"), Ext.Alpn("h2")] };

        Assert.Equal("t12d0302h2_" + Ja4CipherHash(model) + "_000000000000", Parse.OneShot(ClientHelloBuilder.Build(model)).Ja4);
    }

    [Fact]
    public void Ja4_uses_only_signature_algorithms_not_the_cert_list()
    {
        HelloModel with0032 = SpecExample(false) with
        {
            Extensions = SpecExample(false).Extensions!.Append(new ExtensionModel(0x0032, Wire.U16Vector(Wire.U16s(0x0403)))).ToArray(),
        };
        string ja4 = Parse.OneShot(ClientHelloBuilder.Build(with0032)).Ja4!;
        string expectedC = Sha12("0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0032,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601");

        Assert.Equal(expectedC, ja4[^12..]);
    }

    [Fact]
    public void Ja3_strips_grease_everywhere_and_hashes_with_md5()
    {
        Outcome plain = Parse.OneShot(ClientHelloBuilder.Build(SpecExample(false)));
        Outcome greased = Parse.OneShot(ClientHelloBuilder.Build(SpecExample(true)));

        Assert.Equal(plain.Ja3, greased.Ja3);
        Assert.StartsWith("771,4865-4866-4867-49195-", plain.Ja3, StringComparison.Ordinal);
#pragma warning disable CA5351 // JA3 is defined over MD5.
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.ASCII.GetBytes(plain.Ja3!))), plain.Ja3Hash);
#pragma warning restore CA5351
    }

    [Fact]
    public void Fingerprints_do_not_fit_in_short_buffers()
    {
        byte[] hello = ClientHelloBuilder.Build(SpecExample(false));
        Assert.True(ClientHelloParser.TryParse(hello, out ClientHelloInfo info));

        Assert.False(info.TryFormatJa4(new char[35], out _));
        Assert.False(info.TryFormatJa3Hash(new char[31], out _));
        Assert.False(info.TryFormatJa3(new char[10], out _));
    }

    private static string Ja4CipherHash(HelloModel model) =>
        Sha12(string.Join(",", model.CipherSuites.Order().Select(c => c.ToString("x4", System.Globalization.CultureInfo.InvariantCulture))));

    private static string Sha12(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(text)))[..12];
}
