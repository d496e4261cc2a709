using System.Net;
using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Preamble;

public class ProxyProtocolV2WriterTests
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    [Fact]
    public void Ipv4_header_is_byte_exact()
    {
        var context = TestContexts.Create(new IPEndPoint(IPAddress.Parse("192.168.1.10"), 0xDC04), new IPEndPoint(IPAddress.Parse("10.0.0.1"), 443));

        byte[] header = Write(ProxyProtocolV2Writer.Instance, context);

        Assert.Equal(
            [.. Signature, 0x21, 0x11, 0x00, 0x0C, 192, 168, 1, 10, 10, 0, 0, 1, 0xDC, 0x04, 0x01, 0xBB],
            header);
    }

    [Fact]
    public void Ipv6_header_is_byte_exact()
    {
        var context = TestContexts.Create(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 1), new IPEndPoint(IPAddress.Parse("2001:db8::2"), 2));

        byte[] header = Write(ProxyProtocolV2Writer.Instance, context);

        byte[] source = IPAddress.Parse("2001:db8::1").GetAddressBytes();
        byte[] destination = IPAddress.Parse("2001:db8::2").GetAddressBytes();
        Assert.Equal([.. Signature, 0x21, 0x21, 0x00, 0x24, .. source, .. destination, 0x00, 0x01, 0x00, 0x02], header);
    }

    [Fact]
    public void Authority_tlv_carries_the_sni_after_the_addresses()
    {
        var context = TestContexts.Create(new IPEndPoint(IPAddress.Loopback, 1000), new IPEndPoint(IPAddress.Loopback, 443), "db.x");

        byte[] header = Write(new ProxyProtocolV2Writer(includeAuthority: true), context);

        Assert.Equal(
            [.. Signature, 0x21, 0x11, 0x00, 0x13, 127, 0, 0, 1, 127, 0, 0, 1, 0x03, 0xE8, 0x01, 0xBB, 0x02, 0x00, 0x04, (byte)'d', (byte)'b', (byte)'.', (byte)'x'],
            header);
    }

    [Fact]
    public void Unusable_addresses_give_family_unspec_with_no_address_block()
    {
        var context = TestContexts.Create(new DnsEndPoint("client", 1), null);

        byte[] header = Write(ProxyProtocolV2Writer.Instance, context);

        Assert.Equal([.. Signature, 0x21, 0x00, 0x00, 0x00], header);
    }

    private static byte[] Write(ProxyProtocolV2Writer writer, ForwardingContext context)
    {
        byte[] buffer = new byte[writer.GetMaxLength(context)];
        int written = writer.Write(context, buffer);
        return buffer[..written];
    }
}
