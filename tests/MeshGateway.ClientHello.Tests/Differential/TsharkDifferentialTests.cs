using System.Text;
using FsCheck.Fluent;
using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.ClientHello.Tests.Captures;
using MeshGateway.ClientHello.Tests.Properties;

namespace MeshGateway.ClientHello.Tests.Differential;

/// <summary>
/// Differential test against an independent decoder: Wireshark's TLS dissector (tshark). Thousands of ClientHellos,
/// valid and mutated, go through both; wherever tshark reports a hello, its SNI and ALPN must equal ours. A record-
/// fragmented hello that two readers see differently is how Traefik's mTLS bypass (CVE-2026-32305) happened.
/// The only disagreements allowed are documented strictness choices: hellos tshark decodes that our strict or
/// lenient profile rejects as malformed (docs/security.md lists them).
/// </summary>
public class TsharkDifferentialTests(ITestOutputHelper output)
{
    private const int GeneratedCount = 1500;
    private const int MutatedCount = 3000;
    private const int Seed = 20261126;

    [Fact]
    public void Tshark_and_the_parser_agree_on_sni_and_alpn_of_valid_and_mutated_hellos()
    {
        var random = new Random(Seed);
        List<byte[]> valid = [.. Capture.All.Select(c => c.Bytes), .. HelloGenerators.Model.Sample(GeneratedCount, 60).Select(ClientHelloBuilder.Build)];
        List<byte[]> mutated = [.. Enumerable.Range(0, MutatedCount).Select(_ => Mutate(valid[random.Next(valid.Count)], random))];
        List<byte[]> all = [.. valid, .. mutated];

        IReadOnlyDictionary<int, TsharkHello> tshark = TsharkDecoder.Decode(all);

        var disagreements = new List<string>();
        var strictness = new Dictionary<ClientHelloMalformedReason, int>();
        int compared = 0, skippedUnprintable = 0, unknownNameType = 0;
        for (int i = 0; i < all.Count; i++)
        {
            bool isValid = i < valid.Count;
            ClientHelloStatus strict = ClientHelloParser.Parse(all[i], ClientHelloParserOptions.Default, out ClientHelloInfo strictHello, out _, out _);
            strictHello.Dispose();
            ClientHelloStatus status = ClientHelloParser.Parse(all[i], ClientHelloParserOptions.Lenient, out ClientHelloInfo hello, out _, out ClientHelloMalformedReason reason);
            using (hello)
            {
                bool decoded = tshark.TryGetValue(i, out TsharkHello? theirs);
                if (isValid && (strict != ClientHelloStatus.Done || !decoded))
                {
                    disagreements.Add($"#{i} valid hello: ours {strict}, tshark decoded: {decoded}");
                    continue;
                }

                if (!decoded)
                {
                    continue;
                }

                if (status == ClientHelloStatus.Malformed)
                {
                    strictness[reason] = strictness.GetValueOrDefault(reason) + 1;
                    continue;
                }

                if (status != ClientHelloStatus.Done)
                {
                    continue; // NeedMoreData / TooLarge / NotClientHello: tshark decoding a partial hello is not a disagreement about it
                }

                if (hello.Tolerances.HasFlag(ClientHelloTolerances.UnknownServerNameType) && !hello.HasServerName)
                {
                    // RFC 6066 §3 defines only host_name(0); tshark shows any name type's bytes as the SNI, the lenient
                    // profile ignores such an entry (and OpenSSL rejects the hello), the strict profile rejects it.
                    unknownNameType++;
                    continue;
                }

                string? sni = hello.GetServerName();
                string[] alpn = hello.GetApplicationProtocols();
                if (!Printable(sni) || !alpn.All(Printable))
                {
                    skippedUnprintable++;
                    continue; // tshark escapes such bytes in its text output, so the strings cannot be compared
                }

                compared++;
                if (sni != theirs!.ServerName || !alpn.SequenceEqual(theirs.Alpn))
                {
                    disagreements.Add($"#{i}: ours sni={sni ?? "-"} alpn=[{string.Join(",", alpn)}], tshark sni={theirs.ServerName ?? "-"} alpn=[{string.Join(",", theirs.Alpn)}]; bytes {Convert.ToHexString(all[i])}");
                }
            }
        }

        output.WriteLine($"{all.Count} hellos ({valid.Count} valid, {mutated.Count} mutated, seed {Seed}); tshark decoded {tshark.Count}; compared {compared}; unprintable skipped {skippedUnprintable}");
        output.WriteLine($"lenient profile ignored a server_name entry of unknown name type (tshark shows it): {unknownNameType}");
        output.WriteLine("tshark decoded, we reject (strictness): " + string.Join(", ", strictness.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
        Assert.True(compared > valid.Count, $"too few hellos compared ({compared})");
        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements.Take(20)));
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        byte[] copy = (byte[])original.Clone();
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits; e++)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }

    private static bool Printable(string? value) =>
        value is null || value.All(c => c is > ' ' and < (char)0x7F and not ',' and not '\\' and not '"');
}
