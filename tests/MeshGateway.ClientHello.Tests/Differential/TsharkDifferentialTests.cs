using System.Text;
using FsCheck.Fluent;
using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.ClientHello.Tests.Captures;
using MeshGateway.ClientHello.Tests.Properties;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests.Differential;

/// <summary>
/// Differential test against an independent decoder: Wireshark's TLS dissector (tshark). Thousands of ClientHellos,
/// valid and mutated, go through both; wherever tshark reports a hello, its SNI and ALPN must equal ours. A record-
/// fragmented hello that two readers see differently is how Traefik's mTLS bypass (CVE-2026-32305) happened.
/// Every hello the strict (default) profile accepts must read the same in both; hellos it rejects are counted by
/// what the lenient profile made of them, the documented strictness choices (docs/security.md).
/// </summary>
public class TsharkDifferentialTests(ITestOutputHelper output)
{
    private const int GeneratedCount = 1500;
    private const int MutatedCount = 3000;
    private const int Seed = 20261126; // generation and mutation both, so every CI run checks the same hellos

    [Fact]
    public void Tshark_and_the_parser_agree_on_sni_and_alpn_of_valid_and_mutated_hellos()
    {
        var random = new Random(Seed);
        List<byte[]> valid = [.. Capture.All.Select(c => c.Bytes), .. HelloGenerators.Model.Sample(GeneratedCount, new FsCheck.Rnd(Seed, 0x9E3779B97F4A7C15UL), 60).Select(ClientHelloBuilder.Build)];
        List<byte[]> mutated = [.. Enumerable.Range(0, MutatedCount).Select(_ => Mutate(valid[random.Next(valid.Count)], random))];
        List<byte[]> all = [.. valid, .. mutated];

        IReadOnlyDictionary<int, TsharkHello> tshark = TsharkDecoder.Decode(all);

        var disagreements = new List<string>();
        var strictness = new Dictionary<string, int>();
        int compared = 0, skippedUnprintable = 0;
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

                if (strict != ClientHelloStatus.Done)
                {
                    // The strict profile rejects the hello: whatever tshark shows, no component of ours routes on it. The
                    // lenient profile may accept it with a tolerance (a duplicate extension, a server_name entry of
                    // unknown type, trailing bytes) and read it differently from tshark, which shows every copy; that
                    // is the ambiguity the strict default exists to refuse.
                    string key = status switch
                    {
                        ClientHelloStatus.Malformed => reason.ToString(),
                        ClientHelloStatus.Done => $"lenient accepts with {hello.Tolerances}",
                        _ => status.ToString(),
                    };
                    strictness[key] = strictness.GetValueOrDefault(key) + 1;
                    continue;
                }

                // The strict profile admits only printable ASCII host names (RFC 6066 §3, RFC 5234 VCHAR), so its
                // name always has a string, char for byte.
                if (hello.HasServerName && (hello.GetServerName() is not { } name || !name.All(c => c is > ' ' and < (char)0x7F)))
                {
                    disagreements.Add($"#{i}: strict profile accepted host_name {Convert.ToHexString(hello.ServerName)}");
                    continue;
                }

                string? sni = hello.GetServerName();
                string[] alpn = hello.GetApplicationProtocols();
                bool alpnPrintable = true;
                foreach (ReadOnlySpan<byte> protocol in hello.ApplicationProtocols)
                {
                    // On the bytes: a non-UTF-8 name reads as "0xNN ..." here (SslApplicationProtocol's form), which
                    // looks printable but is not what tshark shows.
                    alpnPrintable &= Ascii.IsValid(protocol) && Printable(Encoding.ASCII.GetString(protocol));
                }

                if (!Printable(sni) || !alpnPrintable)
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
        output.WriteLine("tshark decoded, the strict profile rejects (by lenient outcome): " + string.Join(", ", strictness.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
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
