using System.Text.Json;
using MeshGateway.Testing;

namespace MeshGateway.Cli.Tests.Sniff;

public sealed class SniffCommandTests : IDisposable
{
    private static readonly string[] ContractKeys = ["status", "reason", "sni", "alpn", "versions", "ja3", "ja4", "ech", "grease", "records", "length"];
    private readonly string _directory = Directory.CreateTempSubdirectory("meshgw-sniff-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Curl_capture_prints_the_exact_json_contract_and_exits_zero()
    {
        var (code, output, error) = CliRunner.Run("sniff", CaptureFiles.ClientHelloPath("curl.bin"));

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(
            "{\"status\":\"ok\",\"reason\":null,\"sni\":\"web.default.dc2.internal.11111111-2222-3333-4444-555555555555.consul\","
            + "\"alpn\":[\"h2\",\"http/1.1\"],\"versions\":[\"1.3\",\"1.2\",\"1.1\",\"1.0\"],\"ja3\":\"0149f47eabf9a20d0893e2a44e5a6323\","
            + "\"ja4\":\"t13d3112h2_e8f1e7e78f70_b26ce05bbdd6\",\"ech\":false,\"grease\":false,\"records\":1,\"length\":517}",
            output.TrimEnd('\n'));
    }

    [Fact]
    public void Chromium_capture_reports_ech_and_grease()
    {
        var (code, output, _) = CliRunner.Run("sniff", CaptureFiles.ClientHelloPath("chromium.bin"));
        using JsonDocument json = JsonDocument.Parse(output);

        Assert.Equal(0, code);
        Assert.True(json.RootElement.GetProperty("ech").GetBoolean());
        Assert.True(json.RootElement.GetProperty("grease").GetBoolean());
        Assert.Equal(2040, json.RootElement.GetProperty("length").GetInt32());
    }

    [Fact]
    public void Multi_record_capture_reports_its_record_count()
    {
        var (code, output, _) = CliRunner.Run("sniff", CaptureFiles.ClientHelloPath("openssl-max-send-frag.bin"));
        using JsonDocument json = JsonDocument.Parse(output);

        Assert.Equal(0, code);
        Assert.Equal(3, json.RootElement.GetProperty("records").GetInt32());
        Assert.Equal(1305, json.RootElement.GetProperty("length").GetInt32());
    }

    [Fact]
    public void Hex_input_gives_the_same_report_as_raw_bytes()
    {
        byte[] raw = File.ReadAllBytes(CaptureFiles.ClientHelloPath("curl.bin"));
        string hexFile = Write("curl.hex", System.Text.Encoding.ASCII.GetBytes(string.Join("\n", Convert.ToHexString(raw).Chunk(32).Select(c => new string(c)))));

        var (code, output, _) = CliRunner.Run("sniff", "--hex", hexFile);

        Assert.Equal(0, code);
        Assert.Equal(CliRunner.Run("sniff", CaptureFiles.ClientHelloPath("curl.bin")).Output, output);
    }

    [Fact]
    public void Hex_on_standard_input_is_read_with_a_dash()
    {
        TextReader original = Console.In;
        try
        {
            Console.SetIn(new StringReader("16 03 01 00 00"));
            var (code, output, _) = CliRunner.Run("sniff", "--hex", "-");

            Assert.Equal(1, code);
            Assert.Contains("\"reason\":\"empty-record\"", output, StringComparison.Ordinal);
        }
        finally
        {
            Console.SetIn(original);
        }
    }

    [Theory]
    [InlineData("474554202f20485454502f312e310d0a", "not-tls", null)]
    [InlineData("160301", "need-more-data", null)]
    [InlineData("160301ffff", "too-large", null)]
    [InlineData("16030300100b", "not-client-hello", null)]
    [InlineData("1603010000", "malformed", "empty-record")]
    [InlineData("16030100080100000400000000", "malformed", "client-hello-too-short")]
    public void Every_other_status_exits_one_with_its_contract_name(string hex, string status, string? reason)
    {
        var (code, output, _) = CliRunner.Run("sniff", "--hex", Write("input.hex", System.Text.Encoding.ASCII.GetBytes(hex)));
        using JsonDocument json = JsonDocument.Parse(output);

        Assert.Equal(1, code);
        Assert.Equal(status == "need-more-data" ? [.. ContractKeys, "bytes_needed"] : ContractKeys, json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(status, json.RootElement.GetProperty("status").GetString());
        Assert.Equal(reason, json.RootElement.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("sni").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ja4").ValueKind);
        Assert.Equal(0, json.RootElement.GetProperty("length").GetInt32());
    }

    [Fact]
    public void Lenient_accepts_what_strict_reports_as_malformed()
    {
        // The curl hello with a Certificate handshake header coalesced after it in the same record.
        byte[] curl = File.ReadAllBytes(CaptureFiles.ClientHelloPath("curl.bin"));
        byte[] coalesced = [.. curl, 0x0B, 0x00, 0x00, 0x00];
        int recordLength = curl.Length - 5 + 4;
        coalesced[3] = (byte)(recordLength >> 8);
        coalesced[4] = (byte)recordLength;
        string path = Write("coalesced.bin", coalesced);

        var strict = CliRunner.Run("sniff", path);
        var lenient = CliRunner.Run("sniff", "--lenient", path);

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("\"reason\":\"trailing-handshake-data\"", strict.Output, StringComparison.Ordinal);
        Assert.Equal(0, lenient.ExitCode);
        Assert.Contains("\"sni\":\"web.default.dc2.internal.", lenient.Output, StringComparison.Ordinal);
        Assert.Contains($"\"length\":{coalesced.Length}", lenient.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_a_usage_error()
    {
        var (code, output, error) = CliRunner.Run("sniff", Path.Combine(_directory, "absent.bin"));

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Equal("", output);
        Assert.Contains("cannot read", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_hex_is_a_usage_error()
    {
        var (code, _, error) = CliRunner.Run("sniff", "--hex", Write("bad.hex", "16 03 0z"u8.ToArray()));

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Contains("not hex", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sniff_without_a_file_is_a_usage_error()
    {
        Assert.Equal(MeshGatewayCli.UsageError, CliRunner.Run("sniff").ExitCode);
    }

    [Fact]
    public void Every_capture_is_reported_ok_with_the_contract_keys_in_order()
    {
        string[] captures = Directory.GetFiles(CaptureFiles.ClientHelloDirectory, "*.bin");
        Assert.NotEmpty(captures);
        foreach (string capture in captures)
        {
            var (code, output, _) = CliRunner.Run("sniff", capture);
            using JsonDocument json = JsonDocument.Parse(output);
            using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(capture, ".json")));

            // tshark's sni is the wire name; sniff leaves one trailing dot out and says so with a key after the others.
            string? wireSni = expected.RootElement.GetProperty("sni").GetString();
            bool trailingDot = wireSni is not null && wireSni.EndsWith('.');
            Assert.Equal(0, code);
            Assert.Equal(trailingDot ? [.. ContractKeys, "trailing_dot"] : ContractKeys, json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(trailingDot ? wireSni![..^1] : wireSni, json.RootElement.GetProperty("sni").GetString());
            Assert.Equal(expected.RootElement.GetProperty("ja3").GetString(), json.RootElement.GetProperty("ja3").GetString());
            Assert.Equal(expected.RootElement.GetProperty("length").GetInt32(), json.RootElement.GetProperty("length").GetInt32());
        }
    }

    [Theory]
    [InlineData("chromium-trailing-dot.bin")]
    [InlineData("firefox-esr-trailing-dot.bin")]
    public void Browser_hello_with_a_trailing_dot_prints_the_name_without_it_and_trailing_dot_true(string capture)
    {
        var (code, output, error) = CliRunner.Run("sniff", CaptureFiles.ClientHelloPath(capture));
        using JsonDocument json = JsonDocument.Parse(output);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal("web.default.dc1.internal.11111111-2222-3333-4444-555555555555.consul", json.RootElement.GetProperty("sni").GetString());
        Assert.Equal([.. ContractKeys, "trailing_dot"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(json.RootElement.GetProperty("trailing_dot").GetBoolean());
    }

    [Fact]
    public void Truncated_hello_reports_the_bytes_needed_in_json_and_text()
    {
        byte[] curl = File.ReadAllBytes(CaptureFiles.ClientHelloPath("curl.bin"));
        string path = Write("truncated.bin", curl[..300]);

        var (code, output, error) = CliRunner.Run("sniff", path);
        using JsonDocument json = JsonDocument.Parse(output);

        Assert.Equal(1, code);
        Assert.Equal("need-more-data", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(curl.Length - 300, json.RootElement.GetProperty("bytes_needed").GetInt32());
        Assert.Contains($"truncated, {curl.Length - 300} bytes short", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_is_a_usage_error_that_names_the_path()
    {
        var (code, output, error) = CliRunner.Run("sniff", _directory);

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Equal("", output);
        Assert.Contains($"'{_directory}': it is a directory", error, StringComparison.Ordinal);
        Assert.DoesNotContain("denied", error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData('\n')]
    [InlineData('\r')]
    [InlineData('\u001b')]
    [InlineData('\u007f')]
    [InlineData(' ')]
    public void Control_byte_in_the_sni_is_malformed_under_the_strict_profile(char control)
    {
        string path = Write("control.bin", CurlWithSni(SameLengthName($"web{control}x")));

        var (code, output, _) = CliRunner.Run("sniff", path);

        Assert.Equal(1, code);
        Assert.Contains("\"reason\":\"host-name-not-printable-ascii\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Forged_log_line_in_the_sni_stays_one_escaped_json_line_under_the_lenient_profile()
    {
        string forged = SameLengthName("web\n2026-12-06T00:00:00Z closed route=FORGED x=");
        string path = Write("forged.bin", CurlWithSni(forged));

        var (code, output, _) = CliRunner.Run("sniff", "--lenient", path);
        using JsonDocument json = JsonDocument.Parse(output);

        Assert.Equal(0, code);
        Assert.Single(output.TrimEnd('\n').Split('\n'));
        Assert.Contains("\"sni\":\"web\\n2026", output, StringComparison.Ordinal); // a JSON escape, not a line break
        Assert.Equal(forged, json.RootElement.GetProperty("sni").GetString());
    }

    [Fact]
    public void Byte_above_0x7f_in_the_sni_is_printed_as_its_escape_not_a_replacement_character()
    {
        byte[] hello = CurlWithSni(SameLengthName("web-x"));
        int at = hello.AsSpan().IndexOf("web-x"u8) + 3;
        hello[at] = 0xFF;
        string path = Write("high.bin", hello);

        var (code, output, _) = CliRunner.Run("sniff", "--lenient", path);

        Assert.Equal(0, code);
        Assert.Contains("web\\u00FFx", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\uFFFD", output, StringComparison.OrdinalIgnoreCase);
    }

    private const string CurlSni = "web.default.dc2.internal.11111111-2222-3333-4444-555555555555.consul";

    // A name as long as curl's SNI, so the capture's lengths stay right when it is swapped in.
    private static string SameLengthName(string prefix) => prefix + new string('a', CurlSni.Length - prefix.Length);

    private static byte[] CurlWithSni(string name)
    {
        byte[] curl = File.ReadAllBytes(CaptureFiles.ClientHelloPath("curl.bin"));
        int at = curl.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(CurlSni));
        Assert.True(at > 0 && name.Length == CurlSni.Length);
        System.Text.Encoding.Latin1.GetBytes(name).CopyTo(curl, at);
        return curl;
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
