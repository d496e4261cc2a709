using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FsCheck.Xunit;
using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.ClientHello.Tests.Properties;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests.Fingerprints;

public class FingerprintHashingTests
{
    [Fact]
    public void Hex_with_comma_matches_x4_formatting_for_every_uint16()
    {
        byte[] text = new byte[5];
        for (int value = 0; value <= ushort.MaxValue; value++)
        {
            Hex.WriteUInt16Comma((ushort)value, text);

            Assert.Equal(value.ToString("x4", CultureInfo.InvariantCulture) + ",", Encoding.ASCII.GetString(text));
        }
    }

    [Theory]
    [InlineData("SHA256")]
    [InlineData("MD5")]
    public void Memo_returns_the_digest_of_exactly_its_input_through_hits_misses_and_evictions(string algorithmName)
    {
        var algorithm = new HashAlgorithmName(algorithmName);
        int digestLength = algorithmName == "MD5" ? 16 : 32;
        var memo = new DigestMemo(algorithm, digestLength);
        var random = new Random(8);

        // More distinct inputs than slots, inputs differing only in their last byte or only in length, the empty
        // input and inputs too long to remember; every one asked for several times in a shuffled order.
        var inputs = new List<byte[]> { Array.Empty<byte>(), new byte[DigestMemo.MaxInputLength], new byte[DigestMemo.MaxInputLength + 1] };
        byte[] shared = new byte[150];
        random.NextBytes(shared);
        for (int i = 0; i < DigestMemo.Slots + 8; i++)
        {
            byte[] variant = (byte[])shared.Clone();
            variant[^1] = (byte)i;
            inputs.Add(variant);
            inputs.Add(shared[..(100 + i)]);
        }

        byte[][] requests = Enumerable.Range(0, 6).SelectMany(_ => inputs).OrderBy(_ => random.Next()).ToArray();
        byte[] digest = new byte[digestLength];
        foreach (byte[] input in requests)
        {
            digest.AsSpan().Fill(0xEE);
            memo.Hash(input, digest);

            Assert.Equal(Reference(algorithmName, input), digest);
        }
    }

    [Fact]
    public void Memo_computes_a_repeated_input_once()
    {
        var memo = new DigestMemo(HashAlgorithmName.SHA256, 32);
        byte[] input = Encoding.ASCII.GetBytes("002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9");
        byte[] digest = new byte[32];

        for (int i = 0; i < 5; i++)
        {
            memo.Hash(input, digest);
        }

        Assert.Equal(1, memo.Computed);
        Assert.Equal(SHA256.HashData(input), digest);
    }

    [Fact]
    public void Memo_recomputes_an_input_once_more_distinct_inputs_than_slots_came_after_it()
    {
        var memo = new DigestMemo(HashAlgorithmName.SHA256, 32);
        byte[] digest = new byte[32];
        byte[] first = [1, 2, 3];
        memo.Hash(first, digest);

        for (int i = 0; i < DigestMemo.Slots; i++)
        {
            memo.Hash(BitConverter.GetBytes(i), digest);
        }

        memo.Hash(first, digest);

        Assert.Equal(DigestMemo.Slots + 2, memo.Computed);
        Assert.Equal(SHA256.HashData(first), digest);
    }

    // An independent JA4 b and c (FoxIO JA4.md) computed from the model with LINQ and a one-shot SHA-256, against the
    // parser's, on generated hellos with random cipher lists (GREASE included), shuffled extensions and repeats.
    [Property(MaxTest = 1_000, Arbitrary = [typeof(HelloGenerators)])]
    public void Ja4_counts_and_hashes_match_a_reference_computed_from_the_model(HelloCase c) =>
        AssertJa4MatchesReference(c.Model, c.Bytes);

    [Fact]
    public void Ja4_of_a_hello_with_more_values_than_the_stack_buffers_matches_the_reference()
    {
        // 300 cipher suites and 200 extensions: past the 128 values collected on the stack, into pooled arrays.
        HelloModel model = new()
        {
            CipherSuites = Enumerable.Range(0, 300).Select(i => (ushort)(0xFFFF - (i * 37))).ToArray(),
            Extensions = Enumerable.Range(0, 200).Select(i => Ext.Raw((ushort)(0x7000 + (i * 3)), (byte)i))
                .Append(Ext.ServerName("example.com")).Append(Ext.SignatureAlgorithms(0x0403, 0x0804)).ToArray(),
        };

        AssertJa4MatchesReference(model, ClientHelloBuilder.Build(model));
    }

    private static void AssertJa4MatchesReference(HelloModel model, byte[] bytes)
    {
        ushort[] ciphers = model.CipherSuites.Where(v => !IsGrease(v)).ToArray();
        ushort[] types = (model.Extensions ?? []).Select(e => e.Type).Where(t => !IsGrease(t)).ToArray();
        ushort[] hashedTypes = types.Where(t => t is not (0 or 16)).ToArray();
        ExtensionModel? signatureAlgorithms = model.Extensions?.FirstOrDefault(e => e.Type == 13);
        string suffix = signatureAlgorithms is null
            ? ""
            : "_" + string.Join(",", Enumerable.Range(0, (signatureAlgorithms.Data.Length - 2) / 2)
                .Select(i => (ushort)((signatureAlgorithms.Data[2 + (2 * i)] << 8) | signatureAlgorithms.Data[3 + (2 * i)]))
                .Where(v => !IsGrease(v)).Select(Hex4));

        string ja4 = Parse.OneShot(bytes).Ja4!;

        Assert.Equal(Math.Min(ciphers.Length, 99).ToString("d2", CultureInfo.InvariantCulture), ja4[4..6]);
        Assert.Equal(Math.Min(types.Length, 99).ToString("d2", CultureInfo.InvariantCulture), ja4[6..8]);
        Assert.Equal(Sha12(string.Join(",", ciphers.Order().Select(Hex4))), ja4[11..23]);
        Assert.Equal(hashedTypes.Length == 0 ? "000000000000" : Sha12(string.Join(",", hashedTypes.Order().Select(Hex4)) + suffix), ja4[24..]);
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(HelloGenerators)])]
    public void Ja3_hash_is_the_md5_of_the_ja3_string_every_time_it_is_asked(HelloCase c)
    {
        Outcome first = Parse.OneShot(c.Bytes);
        Outcome again = Parse.OneShot(c.Bytes);

#pragma warning disable CA5351 // JA3 is defined over MD5.
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(first.Ja3!))), first.Ja3Hash);
#pragma warning restore CA5351
        Assert.Equal(first.Ja3Hash, again.Ja3Hash);
        Assert.Equal(first.Ja4, again.Ja4);
    }

    private static bool IsGrease(ushort v) => (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF);

    private static string Hex4(ushort v) => v.ToString("x4", CultureInfo.InvariantCulture);

    private static string Sha12(string text) => text.Length == 0
        ? "000000000000"
        : Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text)))[..12];

#pragma warning disable CA5351 // JA3 is defined over MD5.
    private static byte[] Reference(string algorithm, byte[] input) =>
        algorithm == "MD5" ? MD5.HashData(input) : SHA256.HashData(input);
#pragma warning restore CA5351
}
