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

    /// <summary>
    /// <see cref="PumpMode.Auto"/> (the default) with a 4 KiB copy buffer, so that any burst fills it and the direction
    /// switches from the copy to splice mid-stream (Linux).
    /// </summary>
    AutoSwitching,
}

/// <summary>Applies a <see cref="Pump"/> to a builder.</summary>
internal static class PumpExtensions
{
    public static TcpForwarderBuilder UsePump(this TcpForwarderBuilder builder, Pump pump)
    {
        builder.Options.Pump = pump switch
        {
            Pump.Copy => PumpMode.Copy,
            Pump.AutoSwitching => PumpMode.Auto,
            _ => PumpMode.SpliceWhenPossible,
        };
        if (pump == Pump.AutoSwitching)
        {
            builder.Options.BufferSize = 4096;
        }

        builder.UseOwnReadiness = pump != Pump.SpliceOnRuntimeReadiness;
        return builder;
    }
}
