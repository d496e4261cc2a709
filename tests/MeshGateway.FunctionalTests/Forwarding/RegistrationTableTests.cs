using System.Net.Sockets;
using MeshGateway.Forwarding;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>The loop's registration table: slots reused without confusing an old id with a new registration.</summary>
public class RegistrationTableTests
{
    [Fact]
    public void A_freed_slot_is_reused_under_a_new_id_and_the_old_id_finds_nothing()
    {
        EpollReadiness loop = OwnLoop();
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var table = new RegistrationTable();

        ReadinessRegistration first = Add(table, loop, socket);
        Assert.Same(first, table.Find(first.Id));
        table.Remove(first.Id);
        Assert.Null(table.Find(first.Id));

        ReadinessRegistration second = Add(table, loop, socket);
        Assert.Equal((uint)first.Id, (uint)second.Id);   // the same slot
        Assert.NotEqual(first.Id, second.Id);             // a new generation
        Assert.Null(table.Find(first.Id));                // an event queued for the old socket is dropped
        Assert.Same(second, table.Find(second.Id));

        table.Remove(first.Id);                           // a stale remove leaves the new registration alone
        Assert.Same(second, table.Find(second.Id));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Table_grows_past_its_first_array_and_finds_every_registration()
    {
        EpollReadiness loop = OwnLoop();
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var table = new RegistrationTable();

        List<ReadinessRegistration> added = [.. Enumerable.Range(0, 1_000).Select(_ => Add(table, loop, socket))];
        Assert.Equal(1_000, table.Count);
        Assert.All(added, r => Assert.Same(r, table.Find(r.Id)));
        Assert.Equal(1_000, added.Select(r => r.Id).Distinct().Count());

        foreach (ReadinessRegistration registration in added.Where((_, i) => i % 2 == 0))
        {
            table.Remove(registration.Id);
        }

        Assert.Equal(500, table.Count);
        Assert.Equal(500, table.CountWhere(static _ => true));
        Assert.All(added.Where((_, i) => i % 2 == 1), r => Assert.Same(r, table.Find(r.Id)));
    }

    [Fact]
    public void Id_outside_the_table_finds_nothing()
    {
        var table = new RegistrationTable();
        Assert.Null(table.Find(0));
        Assert.Null(table.Find(ulong.MaxValue));
        Assert.Null(table.Find((1UL << 32) | 5));
    }

    private static ReadinessRegistration Add(RegistrationTable table, EpollReadiness loop, Socket socket) =>
        table.Add((loop, socket), static (id, s) => new ReadinessRegistration(s.loop, s.socket.SafeHandle, id, listener: false));

    private static EpollReadiness OwnLoop()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the own readiness loop is Linux only");
        return EpollReadiness.Next() ?? throw new InvalidOperationException("epoll is available on every Linux this runs on");
    }
}
