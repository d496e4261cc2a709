using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Fuzz.Targets;

/// <summary>
/// The HCL side of the Consul config reader: any bytes read as HCL give a catalog or errors (never both, never
/// neither), never an exception, and every error's line and column lie inside the input.
/// </summary>
internal sealed class ModesHclTarget : IFuzzTarget
{
    public string Name => "modes-hcl";

    public void Run(ReadOnlySpan<byte> input)
    {
        ConsulConfigReadResult result = ConsulConfigReader.Read(input, ConsulConfigFormat.Hcl, "fuzz.hcl");
        if (result.Succeeded == (result.Errors.Count > 0) || result.Succeeded != (result.Catalog is not null))
        {
            throw new FuzzTargetException($"inconsistent result: succeeded={result.Succeeded}, errors={result.Errors.Count}, catalog={result.Catalog is not null}");
        }

        int lines = input.Count((byte)'\n') + 1;
        foreach (ConsulConfigError error in result.Errors)
        {
            bool placed = error.Line == 0 && error.Column == 0;
            bool inside = error.Line >= 1 && error.Line <= lines && error.Column >= 1 && error.Column <= input.Length + 1;
            if (!placed && !inside)
            {
                throw new FuzzTargetException($"error position {error.Line}:{error.Column} outside the input ({lines} lines, {input.Length} bytes): {error}");
            }

            if (error.FileName != "fuzz.hcl")
            {
                throw new FuzzTargetException($"error without the file name: {error}");
            }
        }
    }
}
