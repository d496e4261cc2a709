using System.Net;
using System.Text;
using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Preamble;

public class ProxyProtocolV1WriterTests
{
    [Theory]
    [InlineData("192.168.1.10", 56324, "10.0.0.1", 443, "PROXY TCP4 192.168.1.10 10.0.0.1 56324 443\r\n")]
    [InlineData("2001:db8::1", 1, "2001:db8::2", 65535, "PROXY TCP6 2001:db8::1 2001:db8::2 1 65535\r\n")]
    [InlineData("::ffff:127.0.0.1", 5000, "::ffff:127.0.0.2", 8443, "PROXY TCP4 127.0.0.1 127.0.0.2 5000 8443\r\n")]
    [InlineData("127.0.0.1", 5000, "::1", 8443, "PROXY UNKNOWN\r\n")]
    // Found by the proxy-protocol fuzzer: a zone (link-local client) was written as "fe80::1%3", which no PROXY
    // reader accepts, and with the longest addresses overflowed the 107-byte maximum.
    [InlineData("fe80::1%3", 5000, "fe80::2%3", 443, "PROXY TCP6 fe80::1 fe80::2 5000 443\r\n")]
    [InlineData("fe80::ffff:ffff:ffff:fffe%4294967295", 65535, "fe80::ffff:ffff:ffff:fffe%4294967295", 65535, "PROXY TCP6 fe80::ffff:ffff:ffff:fffe fe80::ffff:ffff:ffff:fffe 65535 65535\r\n")]
    public void Header_is_byte_exact(string source, int sourcePort, string destination, int destinationPort, string expected)
    {
        var context = TestContexts.Create(new IPEndPoint(IPAddress.Parse(source), sourcePort), new IPEndPoint(IPAddress.Parse(destination), destinationPort));
        byte[] buffer = new byte[ProxyProtocolV1Writer.Instance.GetMaxLength(context)];

        int written = ProxyProtocolV1Writer.Instance.Write(context, buffer);

        Assert.Equal(Encoding.ASCII.GetBytes(expected), buffer[..written]);
    }

    [Fact]
    public void Unknown_end_points_give_PROXY_UNKNOWN()
    {
        var context = TestContexts.Create(new DnsEndPoint("client.example", 1), null);
        byte[] buffer = new byte[ProxyProtocolV1Writer.MaxLength];

        int written = ProxyProtocolV1Writer.Instance.Write(context, buffer);

        Assert.Equal("PROXY UNKNOWN\r\n"u8.ToArray(), buffer[..written]);
    }

    [Fact]
    public void Longest_tcp6_header_fits_the_spec_maximum_of_107_bytes()
    {
        var longest = IPAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
        var context = TestContexts.Create(new IPEndPoint(longest, 65535), new IPEndPoint(longest, 65535));
        byte[] buffer = new byte[ProxyProtocolV1Writer.MaxLength];

        int written = ProxyProtocolV1Writer.Instance.Write(context, buffer);

        Assert.Equal(104, written); // "PROXY TCP6 " + 2 × 39 + 2 spaces + "65535 65535" + CRLF
        Assert.True(written <= 107);
    }
}
