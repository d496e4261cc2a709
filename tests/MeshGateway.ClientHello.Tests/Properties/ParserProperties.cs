using FsCheck.Xunit;
using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests.Properties;

public class ParserProperties
{
    private const int Cases = 10_000;

    [Property(MaxTest = 2_000, Arbitrary = [typeof(HelloGenerators)])]
    public void Built_hello_parses_back_to_its_model(HelloCase c)
    {
        HelloModel model = c.Model;

        Assert.True(ClientHelloParser.TryParse(c.Bytes, out ClientHelloInfo hello), c.ToString());

        Assert.Equal(c.Bytes.Length, hello.Length);
        Assert.Equal(model.LegacyVersion, hello.LegacyVersion);
        Assert.Equal(model.RecordVersion, hello.RecordVersion);
        Assert.Equal(model.SessionId.Length, hello.SessionIdLength);
        Assert.Equal(model.ServerName, hello.GetServerName());
        ExtensionModel? alpn = model.Extensions?.FirstOrDefault(e => e.Type == 16);
        Assert.Equal(alpn is null ? 0 : ParseNames(alpn.Data).Length, hello.ApplicationProtocols.Count);
        Assert.Equal(alpn is null ? [] : ParseNames(alpn.Data), hello.GetApplicationProtocols());
        var ciphers = new List<ushort>();
        foreach (ushort cipher in hello.CipherSuites)
        {
            ciphers.Add(cipher);
        }

        Assert.Equal(model.CipherSuites, ciphers);
        var types = new List<ushort>();
        foreach (TlsExtension extension in hello.Extensions)
        {
            types.Add(extension.Type);
        }

        Assert.Equal(model.Extensions?.Select(e => e.Type) ?? [], types);
        Assert.Equal(model.Extensions is not null, hello.HasExtensions);
        Assert.Equal(model.Extensions?.Any(e => e.Type == 41) ?? false, hello.HasPreSharedKey);
        Assert.Equal(model.Extensions?.Any(e => e.Type == 0xFE0D) ?? false, hello.Ech == ClientHelloEchKind.Outer);
        Assert.Equal(model.Extensions?.Any(e => e.Type == 43) ?? false ? 0x0304 : model.LegacyVersion, hello.MaxVersion);
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(HelloGenerators)])]
    public void Hello_truncated_anywhere_needs_more_data(HelloCase c)
    {
        int length = c.Seed % c.Bytes.Length;

        ClientHelloStatus status = ClientHelloParser.Parse(c.Bytes.AsSpan(0, length), null, out ClientHelloInfo hello, out int needed, out _);
        hello.Dispose();

        Assert.Equal(ClientHelloStatus.NeedMoreData, status);
        Assert.InRange(needed, 1, c.Bytes.Length - length);
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(HelloGenerators)])]
    public void Hello_split_into_tcp_chunks_or_sequence_segments_matches_one_shot(HelloCase c)
    {
        int[] cuts = c.Cuts.Select(cut => cut % c.Bytes.Length).ToArray();
        Outcome expected = Parse.OneShot(c.Bytes);

        Assert.Equal(ClientHelloStatus.Done, expected.Status);
        Assert.Equal(expected, Parse.Growing(c.Bytes, cuts));
        Assert.Equal(expected, Parse.Segmented(c.Bytes, cuts));
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(HelloGenerators)])]
    public void Hello_reframed_into_records_at_random_points_matches_one_record(HelloCase c)
    {
        byte[] handshake = ClientHelloBuilder.Handshake(c.Model);
        int[] sizes = c.Cuts.Select(cut => 1 + (cut % Math.Max(1, handshake.Length / 2))).ToArray();
        byte[] reframed = ClientHelloBuilder.Records(handshake, sizes, c.Model.RecordVersion);
        int records = CountRecords(reframed);
        Outcome expected = Parse.OneShot(c.Bytes);

        Outcome outcome = Parse.OneShot(reframed);

        Assert.Equal(expected with { Records = records, Length = reframed.Length }, outcome);
        Assert.Equal(outcome, Parse.Growing(reframed, c.Cuts.Select(cut => cut % reframed.Length)));
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(HelloGenerators)])]
    public void Mutated_hello_yields_a_status_never_an_exception_and_splitting_does_not_change_it(HelloCase c)
    {
        byte[] mutated = (byte[])c.Bytes.Clone();
        var random = new Random(c.Seed);
        int mutations = 1 + random.Next(4);
        for (int i = 0; i < mutations; i++)
        {
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
        }

        foreach (ClientHelloParserOptions options in new[] { ClientHelloParserOptions.Default, ClientHelloParserOptions.Lenient })
        {
            Outcome outcome = Parse.OneShot(mutated, options);

            Assert.True(Enum.IsDefined(outcome.Status));
            Assert.True(outcome.Status != ClientHelloStatus.Malformed || outcome.Reason != ClientHelloMalformedReason.None);
            Assert.InRange(outcome.Length, 0, mutated.Length);
            Assert.Equal(outcome, Parse.Growing(mutated, c.Cuts.Select(cut => cut % mutated.Length), options));
        }
    }

    // Strict ⊆ lenient: whatever the strict profile accepts, the lenient one accepts identically, tolerating nothing.
    [Property(MaxTest = Cases, Arbitrary = [typeof(HelloGenerators)])]
    public void Lenient_accepts_everything_strict_accepts_with_the_same_fields(HelloCase c)
    {
        byte[] mutated = (byte[])c.Bytes.Clone();
        var random = new Random(c.Seed);
        mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));

        Outcome strict = Parse.OneShot(mutated, ClientHelloParserOptions.Default);
        Outcome lenient = Parse.OneShot(mutated, ClientHelloParserOptions.Lenient);

        if (strict.Status == ClientHelloStatus.Done)
        {
            // The one designed difference: strict withholds an IP-literal host_name (RFC 6066 forbids it).
            bool ipLiteral = strict.Traits.HasFlag(ServerNameTraits.IpLiteral);
            Assert.Equal(ipLiteral ? strict with { ServerName = lenient.ServerName } : strict, lenient);
            Assert.Equal(ClientHelloTolerances.None, strict.Tolerances);
        }
        else if (strict.Status != ClientHelloStatus.Malformed)
        {
            Assert.Equal(strict.Status, lenient.Status);
        }
    }

    [Property(MaxTest = Cases)]
    public void Random_bytes_yield_a_status_never_an_exception(byte[] bytes, bool lenient)
    {
        bytes ??= [];
        ClientHelloParserOptions options = lenient ? ClientHelloParserOptions.Lenient : ClientHelloParserOptions.Default;
        byte[] tls = bytes.Length > 0 ? [0x16, 0x03, 0x01, .. bytes] : bytes;

        Outcome outcome = Parse.OneShot(tls, options);

        Assert.True(Enum.IsDefined(outcome.Status));
        Assert.Equal(outcome, Parse.ByteByByte(tls, options));
    }

    private static string[] ParseNames(byte[] alpnData)
    {
        var names = new List<string>();
        for (int i = 2; i < alpnData.Length; i += 1 + alpnData[i])
        {
            names.Add(System.Text.Encoding.ASCII.GetString(alpnData, i + 1, alpnData[i]));
        }

        return names.ToArray();
    }

    private static int CountRecords(byte[] records)
    {
        int count = 0;
        for (int position = 0; position + 5 <= records.Length; position += 5 + ((records[position + 3] << 8) | records[position + 4]))
        {
            count++;
        }

        return count;
    }
}
