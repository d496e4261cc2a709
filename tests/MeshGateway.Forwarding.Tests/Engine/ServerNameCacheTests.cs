using System.Text;
using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Engine;

/// <summary>Sniffed server names: a repeated name is one string per thread, every name reads back exactly.</summary>
public class ServerNameCacheTests
{
    [Fact]
    public void The_same_name_twice_on_one_thread_is_the_same_string()
    {
        byte[] name = "web.default.dc1.internal.11111111-2222-3333-4444-555555555555.consul"u8.ToArray();

        string? first = ServerNameCache.Get(name);
        string? second = ServerNameCache.Get(name.AsSpan().ToArray());

        Assert.Equal("web.default.dc1.internal.11111111-2222-3333-4444-555555555555.consul", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Every_name_reads_back_exactly_however_names_share_slots()
    {
        // Far more names than slots: collisions replace slots, and no lookup may return another name's string.
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 10 * ServerNameCache.Slots; i++)
            {
                string expected = $"svc{i}.default.dc1.internal.td.consul";
                Assert.Equal(expected, ServerNameCache.Get(Encoding.ASCII.GetBytes(expected)));
            }
        }
    }

    [Fact]
    public void Names_that_differ_only_in_case_stay_distinct()
    {
        Assert.Equal("Web.td.consul", ServerNameCache.Get("Web.td.consul"u8));
        Assert.Equal("web.td.consul", ServerNameCache.Get("web.td.consul"u8));
        Assert.Equal("Web.td.consul", ServerNameCache.Get("Web.td.consul"u8));
    }

    [Fact]
    public void Bytes_that_are_not_ascii_give_no_name()
    {
        Assert.Null(ServerNameCache.Get([0x63, 0xC3, 0xA9, 0x2E, 0x63]));
        Assert.Equal(string.Empty, ServerNameCache.Get([]));
    }
}
