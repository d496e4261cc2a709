namespace MeshGateway.Fuzz;

/// <summary>One fuzz target: runs one input and throws <see cref="FuzzTargetException"/> when an invariant breaks.</summary>
internal interface IFuzzTarget
{
    /// <summary>The name used on the command line and in <c>fuzz/run.sh</c>.</summary>
    string Name { get; }

    /// <summary>Runs one input. Any exception is a finding.</summary>
    void Run(ReadOnlySpan<byte> input);
}
