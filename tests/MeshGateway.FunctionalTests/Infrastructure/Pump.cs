using MeshGateway.Forwarding;

namespace MeshGateway.FunctionalTests.Infrastructure;

/// <summary>The ways the engine can move bytes; tests that prove pump semantics run in each.</summary>
public enum Pump
{
    /// <summary><see cref="PumpMode.Copy"/>.</summary>
    Copy,

    /// <summary><see cref="PumpMode.SpliceWhenPossible"/> on the forwarder's own readiness loop (the default on Linux).</summary>
    Splice,

    /// <summary><see cref="PumpMode.SpliceWhenPossible"/> waiting on the runtime's socket readiness (the path hosts' sockets take).</summary>
    SpliceOnRuntimeReadiness,
}

/// <summary>Applies a <see cref="Pump"/> to a builder.</summary>
internal static class PumpExtensions
{
    public static TcpForwarderBuilder UsePump(this TcpForwarderBuilder builder, Pump pump)
    {
        builder.Options.Pump = pump == Pump.Copy ? PumpMode.Copy : PumpMode.SpliceWhenPossible;
        builder.UseOwnReadiness = pump != Pump.SpliceOnRuntimeReadiness;
        return builder;
    }
}
