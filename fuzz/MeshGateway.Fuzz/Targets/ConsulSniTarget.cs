using System.Text;
using MeshGateway.Naming;

namespace MeshGateway.Fuzz.Targets;

/// <summary>
/// The Consul SNI parser: never throws, and whatever it accepts formats back to a name that parses to the same parts
/// (with the trust domain it reported, and without one). The input is read as UTF-8 with replacement characters, so
/// non-ASCII and control characters reach the parser too.
/// </summary>
internal sealed class ConsulSniTarget : IFuzzTarget
{
    public string Name => "consul-sni";

    public void Run(ReadOnlySpan<byte> input)
    {
        string name = Encoding.UTF8.GetString(input);
        if (!ConsulSniName.TryParse(name, trustDomain: null, out ConsulSniName parsed, out ConsulSniStatus status))
        {
            if (status == ConsulSniStatus.Valid)
            {
                throw new FuzzTargetException("TryParse returned false with status Valid");
            }

            return;
        }

        Span<char> buffer = stackalloc char[512];
        if (!parsed.TryFormat(buffer, out int written))
        {
            throw new FuzzTargetException($"a parsed name does not format: {parsed}");
        }

        ReadOnlySpan<char> formatted = buffer[..written];
        if (!formatted.Equals(parsed.ToString(), StringComparison.Ordinal))
        {
            throw new FuzzTargetException("TryFormat and ToString disagree");
        }

        foreach (string? trustDomain in (string?[])[null, parsed.TrustDomain])
        {
            if (!ConsulSniName.TryParse(formatted, trustDomain, out ConsulSniName again, out ConsulSniStatus againStatus))
            {
                throw new FuzzTargetException($"'{formatted}' (from '{name}') does not parse back with trust domain '{trustDomain}': {againStatus}");
            }

            if (!again.Equals(parsed))
            {
                throw new FuzzTargetException($"round trip changed the parts: '{name}' → {parsed} → {again}");
            }
        }
    }
}
