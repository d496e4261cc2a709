using MeshGateway.Modes;
using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Fuzz.Targets;

/// <summary>
/// The Consul config-entry reader and the mode parser: any bytes give a result (a catalog or a list of errors, never
/// both empty), never an exception; a mode that parses formats back to the same text.
/// </summary>
internal sealed class ModesConfigTarget : IFuzzTarget
{
    public string Name => "modes-config";

    public void Run(ReadOnlySpan<byte> input)
    {
        ConsulConfigReadResult result = ConsulConfigReader.Read(input);
        if (result.Succeeded == (result.Errors.Count > 0) || result.Succeeded != (result.Catalog is not null))
        {
            throw new FuzzTargetException($"inconsistent result: succeeded={result.Succeeded}, errors={result.Errors.Count}, catalog={result.Catalog is not null}");
        }

        if (MeshGatewayModeParser.TryParse(input, out MeshGatewayMode mode)
            && !input.SequenceEqual(System.Text.Encoding.UTF8.GetBytes(MeshGatewayModeParser.ToConsulString(mode))))
        {
            throw new FuzzTargetException($"mode {mode} parsed from text that is not its Consul spelling");
        }
    }
}
