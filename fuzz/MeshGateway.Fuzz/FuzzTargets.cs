using MeshGateway.Fuzz.Targets;

namespace MeshGateway.Fuzz;

/// <summary>Every fuzz target, by name.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new ClientHelloTarget(),
        new ConsulSniTarget(),
        new ModesConfigTarget(),
        new ModesHclTarget(),
        new ProxyProtocolTarget(),
        new QuicInitialTarget(),
    ];

    public static IFuzzTarget? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
