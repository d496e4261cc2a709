using System.Text.Json;
using MeshGateway.Testing;

namespace MeshGateway.Cli.Tests.Sniff;

public sealed class QuicSniffCommandTests : IDisposable
{
    private static readonly string[] Keys = ["status", "reason", "sni", "alpn", "versions", "ja3", "ja4", "ech", "grease", "length", "quic_version", "dcid", "datagrams"];
    private readonly string _directory = Directory.CreateTempSubdirectory("meshgw-sniff-quic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Quic(string name) => CaptureFiles.QuicPath(name);

    public static TheoryData<string> Captures => new("chromium", "firefox", "rfc9001-v1", "rfc9369-v2");

    [Fact]
    public void Rfc_example_prints_the_exact_json_contract_and_exits_zero()
    {
        var (code, output, error) = CliRunner.Run("sniff", "--quic", Quic("rfc9001-v1.dgrams"));

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(
            "{\"status\":\"ok\",\"reason\":null,\"sni\":\"example.com\",\"alpn\":[\"alpn\"],\"versions\":[\"1.3\"],"
            + "\"ja3\":\"41bc9ae914d6cb3bd0bd0a5453ab7d7f\",\"ja4\":\"q13d0211an_62ed6f6ca7ad_4d634acda6c0\",\"ech\":false,\"grease\":false,"
            + "\"length\":241,\"quic_version\":\"0x00000001\",\"dcid\":\"8394c8f03e515708\",\"datagrams\":1}",
            output.TrimEnd('\n'));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Capture_reports_tsharks_values_from_the_datagrams_it_needs(string name)
    {
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllBytes(Quic(name + ".json")));
        var (code, output, _) = CliRunner.Run("sniff", "--quic", Quic(name + ".dgrams"));
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        JsonElement want = expected.RootElement;

        Assert.Equal(0, code);
        Assert.Equal(Keys, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(want.GetProperty("sni").GetString(), root.GetProperty("sni").GetString());
        Assert.Equal(want.GetProperty("alpn").EnumerateArray().Select(a => a.GetString()), root.GetProperty("alpn").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(want.GetProperty("ja3").GetString(), root.GetProperty("ja3").GetString());
        Assert.Equal(want.GetProperty("quic_version").GetString(), root.GetProperty("quic_version").GetString());
        Assert.Equal(want.GetProperty("dcid").GetString(), root.GetProperty("dcid").GetString());
        Assert.Equal(want.GetProperty("datagrams").GetInt32(), root.GetProperty("datagrams").GetInt32());
        Assert.StartsWith("q13d", root.GetProperty("ja4").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chromium")]
    [InlineData("firefox")]
    public void Capture_cut_before_its_last_needed_datagram_needs_more_data(string name)
    {
        byte[] file = File.ReadAllBytes(Quic(name + ".dgrams"));
        int first = 2 + ((file[0] << 8) | file[1]);
        string path = Write(name + "-first.dgrams", file[..first]);

        var (code, output, _) = CliRunner.Run("sniff", "--quic", path);
        using JsonDocument json = JsonDocument.Parse(output);

        Assert.Equal(1, code);
        Assert.Equal("need-more-data", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("datagrams").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("sni").ValueKind);
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("dcid").GetString()));
    }

    [Fact]
    public void Hex_input_on_standard_input_gives_the_same_report_as_the_raw_file()
    {
        byte[] raw = File.ReadAllBytes(Quic("rfc9369-v2.dgrams"));
        TextReader original = Console.In;
        try
        {
            Console.SetIn(new StringReader(Convert.ToHexString(raw)));
            var (code, output, _) = CliRunner.Run("sniff", "--quic", "--hex", "-");

            Assert.Equal(0, code);
            Assert.Equal(CliRunner.Run("sniff", "--quic", Quic("rfc9369-v2.dgrams")).Output, output);
        }
        finally
        {
            Console.SetIn(original);
        }
    }

    [Theory]
    [InlineData("00")]
    [InlineData("0005aabb")]
    [InlineData("")]
    public void Input_that_is_not_length_prefixed_datagrams_is_a_usage_error(string hex)
    {
        var (code, output, error) = CliRunner.Run("sniff", "--quic", Write("bad.dgrams", Convert.FromHexString(hex)));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("not a sequence of length-prefixed datagrams", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("000516030100c8", "not-quic", null, null)]
    [InlineData("00064000000000ff", "not-quic", null, null)]
    [InlineData("0009c01a2a3a4a00000000", "unsupported-version", null, "0x1a2a3a4a")]
    [InlineData("0009c00000000000000000", "unsupported-version", null, "0x00000000")]
    [InlineData("0005c000000001", "malformed", "header-truncated", null)]
    public void Non_ok_outcomes_print_their_status_word_and_exit_one(string hex, string status, string? reason, string? version)
    {
        var (code, output, _) = CliRunner.Run("sniff", "--quic", Write("case.dgrams", Convert.FromHexString(hex)));
        using JsonDocument json = JsonDocument.Parse(output);

        Assert.Equal(1, code);
        Assert.Equal(status, json.RootElement.GetProperty("status").GetString());
        Assert.Equal(reason, json.RootElement.GetProperty("reason").GetString());
        Assert.Equal(version, json.RootElement.GetProperty("quic_version").GetString());
        Assert.Equal(Keys, json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Flipped_bit_in_the_rfc_packet_is_malformed_with_authentication_failed()
    {
        byte[] file = File.ReadAllBytes(Quic("rfc9001-v1.dgrams"));
        file[600] ^= 0x10;

        var (code, output, _) = CliRunner.Run("sniff", "--quic", Write("flipped.dgrams", file));

        Assert.Equal(1, code);
        Assert.Contains("\"status\":\"malformed\",\"reason\":\"authentication-failed\"", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClientHello.QuicSniffStatus.Done, "ok")]
    [InlineData(ClientHello.QuicSniffStatus.NeedMoreData, "need-more-data")]
    [InlineData(ClientHello.QuicSniffStatus.NotQuic, "not-quic")]
    [InlineData(ClientHello.QuicSniffStatus.UnsupportedVersion, "unsupported-version")]
    [InlineData(ClientHello.QuicSniffStatus.Malformed, "malformed")]
    [InlineData(ClientHello.QuicSniffStatus.TooLarge, "too-large")]
    public void Every_quic_status_has_its_contract_word(ClientHello.QuicSniffStatus status, string word)
    {
        Assert.Equal(word, Commands.Sniff.QuicSniff.StatusName(status));
    }

    [Fact]
    public void Lenient_applies_to_the_quic_hello_too()
    {
        var (code, _, _) = CliRunner.Run("sniff", "--quic", "--lenient", Quic("firefox.dgrams"));

        Assert.Equal(0, code);
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
