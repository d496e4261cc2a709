using FsCheck.Xunit;
using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests.Properties;

/// <summary>
/// The duplicate-extension check (RFC 8446 §4.2) is exact for every type: types below 64 and above (GREASE,
/// renegotiation_info, ECH, private values) take different paths in the parser, the latter behind a hashed filter
/// that many random types collide in, and past 64 distinct types a third path takes over.
/// </summary>
public class DuplicateExtensionProperties
{
    private const int Cases = 2_000;

    // Types the parser reads (an empty body would be malformed for them) and the typical hello's own types.
    private static readonly HashSet<ushort> Excluded =
        [0, 10, 11, 13, 16, 41, 43, 51, 0xFD00, 0xFE0D, .. ClientHelloBuilder.Typical().Extensions!.Select(e => e.Type)];

    [Property(MaxTest = Cases)]
    public void Distinct_extension_types_of_any_value_parse_strictly(int[] seeds)
    {
        ushort[] types = DistinctTypes(seeds);
        byte[] bytes = ClientHelloBuilder.Build(WithRawExtensions(types));

        ClientHelloStatus status = ClientHelloParser.Parse(bytes, null, out ClientHelloInfo hello, out _, out ClientHelloMalformedReason reason);
        var seen = new List<ushort>();
        foreach (TlsExtension extension in hello.Extensions)
        {
            seen.Add(extension.Type);
        }

        Assert.True(status == ClientHelloStatus.Done, $"{status} {reason} for [{string.Join(',', types)}]");
        Assert.Equal(ClientHelloBuilder.Typical().Extensions!.Select(e => e.Type).Concat(types), seen);
    }

    [Property(MaxTest = Cases)]
    public void Any_repeated_extension_type_is_malformed_when_strict_and_first_wins_when_lenient(int[] seeds, int pick, int at)
    {
        ushort[] distinct = DistinctTypes(seeds);
        if (distinct.Length == 0)
        {
            return;
        }

        int first = (int)((uint)pick % (uint)distinct.Length);
        int insertAt = first + 1 + (int)((uint)at % (uint)(distinct.Length - first));
        List<ushort> types = [.. distinct];
        types.Insert(insertAt, distinct[first]);
        byte[] bytes = ClientHelloBuilder.Build(WithRawExtensions(types));

        ClientHelloStatus strict = ClientHelloParser.Parse(bytes, null, out _, out _, out ClientHelloMalformedReason reason);
        ClientHelloStatus lenient = ClientHelloParser.Parse(bytes, ClientHelloParserOptions.Lenient, out ClientHelloInfo hello, out _, out _);

        Assert.Equal(ClientHelloStatus.Malformed, strict);
        Assert.Equal(ClientHelloMalformedReason.DuplicateExtension, reason);
        Assert.Equal(ClientHelloStatus.Done, lenient);
        Assert.Equal(ClientHelloTolerances.DuplicateExtension, hello.Tolerances);
        Assert.Equal("example.com", hello.GetServerName());
    }

    // Half low types (< 64), half spread over the whole 16-bit space, distinct, none the parser reads.
    private static ushort[] DistinctTypes(int[] seeds) =>
        seeds.Select(s => (s & 1) == 0 ? (ushort)((s >> 1) & 63) : (ushort)(((uint)s * 2654435761u) >> 16))
            .Where(t => !Excluded.Contains(t))
            .Distinct()
            .ToArray();

    private static HelloModel WithRawExtensions(IEnumerable<ushort> types)
    {
        HelloModel typical = ClientHelloBuilder.Typical();
        return typical with { Extensions = typical.Extensions!.Concat(types.Select(t => Ext.Raw(t))).ToArray() };
    }
}
