namespace MeshGateway.Fuzz;

/// <summary>Thrown by a target when an invariant breaks; the fuzzer records the input as a crash.</summary>
internal sealed class FuzzTargetException(string message) : Exception(message);
