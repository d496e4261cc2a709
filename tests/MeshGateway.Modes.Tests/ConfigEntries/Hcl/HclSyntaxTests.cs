using System.Buffers;
using System.Text;
using MeshGateway.Modes.ConfigEntries;
using MeshGateway.Modes.ConfigEntries.Hcl;

namespace MeshGateway.Modes.Tests.ConfigEntries.Hcl;

/// <summary>Each HCL 1 construct, checked through the JSON it becomes, and each syntax error with its position.</summary>
public class HclSyntaxTests
{
    /// <summary>The JSON the document becomes, or <c>line:column: message</c>.</summary>
    private static string ToJson(string hcl)
    {
        byte[] document = Encoding.UTF8.GetBytes(hcl);
        var json = new ArrayBufferWriter<byte>();
        if (!HclParser.TryParse(document, out HclNode root, out HclSyntaxError error) || !HclJsonWriter.TryWrite(root, document, json, out error))
        {
            (int line, int column) = HclPosition.Of(document, error.Offset);
            return $"{line}:{column}: {error.Message}";
        }

        return Encoding.UTF8.GetString(json.WrittenSpan);
    }

    [Theory]
    [InlineData("a = 1", """{"a":1}""")]
    [InlineData("a = \"x\"\nb = true\nc = false", """{"a":"x","b":true,"c":false}""")]
    [InlineData("a { b = 1 }", """{"a":{"b":1}}""")]
    [InlineData("a = { b = 1, c = 2 }", """{"a":{"b":1,"c":2}}""")]
    [InlineData("a { b { c = \"d\" } }", """{"a":{"b":{"c":"d"}}}""")]
    [InlineData("service \"web\" { port = 1 }", """{"service":{"web":{"port":1}}}""")]
    [InlineData("a \"x\" \"y\" { }", """{"a":{"x":{"y":{}}}}""")]
    [InlineData("\"quoted key\" = 1", """{"quoted key":1}""")]
    [InlineData("a.b-c_d = 1", """{"a.b-c_d":1}""")]
    public void Attributes_blocks_and_labels(string hcl, string json) => Assert.Equal(json, ToJson(hcl));

    [Theory]
    [InlineData("a = []", """{"a":[]}""")]
    [InlineData("a = [1, 2, 3]", """{"a":[1,2,3]}""")]
    [InlineData("a = [1, 2, 3,]", """{"a":[1,2,3]}""")]
    [InlineData("a = [\n  \"x\",\n  \"y\",\n]", """{"a":["x","y"]}""")]
    [InlineData("a = [{ b = 1 }, { b = 2 },]", """{"a":[{"b":1},{"b":2}]}""")]
    [InlineData("a = [[1], [2, 3]]", """{"a":[[1],[2,3]]}""")]
    [InlineData("a = [{ m { mode = \"local\" } }]", """{"a":[{"m":{"mode":"local"}}]}""")]
    public void Lists_including_lists_of_objects_and_trailing_commas(string hcl, string json) => Assert.Equal(json, ToJson(hcl));

    [Theory]
    [InlineData("x { a = 1 }\nx { a = 2 }", """{"x":[{"a":1},{"a":2}]}""")]
    [InlineData("upstreams { a = 1 }", """{"upstreams":[{"a":1}]}""")]
    [InlineData("Overrides { Name = \"db\" }", """{"Overrides":[{"Name":"db"}]}""")]
    [InlineData("config_entries { bootstrap { kind = \"mesh\" } }", """{"config_entries":{"bootstrap":[{"kind":"mesh"}]}}""")]
    [InlineData("mesh_gateway { mode = \"local\" }", """{"mesh_gateway":{"mode":"local"}}""")]
    public void Repeated_blocks_and_list_keys_become_lists_as_consul_decodes_them(string hcl, string json) => Assert.Equal(json, ToJson(hcl));

    [Theory]
    [InlineData(@"a = ""q\""uote""", """{"a":"q\u0022uote"}""")]
    [InlineData(@"a = ""back\\slash""", """{"a":"back\\slash"}""")]
    [InlineData(@"a = ""n\nt\tr\r""", """{"a":"n\nt\tr\r"}""")]
    [InlineData(@"a = ""\u00e9\U0001F600""", """{"a":"\u00E9\uD83D\uDE00"}""")]
    [InlineData(@"a = ""${var.x} and ${f(""}"")}""", """{"a":"${var.x} and ${f(\u0022}\u0022)}"}""")]
    [InlineData("a = \"h\u00e9llo\"", """{"a":"h\u00E9llo"}""")]
    public void Strings_with_escapes(string hcl, string json) => Assert.Equal(json, ToJson(hcl));

    [Theory]
    [InlineData("a = <<EOF\nline 1\n  line 2\nEOF\n", """{"a":"line 1\n  line 2\n"}""")]
    [InlineData("a = <<EOF\r\nx\r\nEOF", """{"a":"x\r\n"}""")]
    [InlineData("a = <<-EOT\n    one\n      two\n    EOT\n", """{"a":"one\n  two\n"}""")]
    [InlineData("a = <<-EOT\n  one\nno indent\n  EOT\n", """{"a":"  one\nno indent\n"}""")]
    [InlineData("a = <<EOF\nEOF\nb = 1", """{"a":"","b":1}""")]
    public void Heredocs(string hcl, string json) => Assert.Equal(json, ToJson(hcl));

    [Theory]
    [InlineData("a = 42", """{"a":42}""")]
    [InlineData("a = -7", """{"a":-7}""")]
    [InlineData("a = 0x1F", """{"a":31}""")]
    [InlineData("a = 017", """{"a":15}""")]
    [InlineData("a = 1.5", """{"a":1.5}""")]
    [InlineData("a = 2e3", """{"a":2000}""")]
    [InlineData("a = -9223372036854775808", """{"a":-9223372036854775808}""")]
    public void Numbers(string hcl, string json) => Assert.Equal(json, ToJson(hcl));

    [Theory]
    [InlineData("# hash\na = 1 # trailing\n", """{"a":1}""")]
    [InlineData("// slashes\na = 1 // trailing", """{"a":1}""")]
    [InlineData("/* block\n comment */ a /* in */ = /* between */ 1", """{"a":1}""")]
    [InlineData("a = [ # in a list\n 1, // one\n /* two */ 2 ]", """{"a":[1,2]}""")]
    [InlineData("", "{}")]
    [InlineData("\uFEFFa = 1", """{"a":1}""")]
    public void Comments_and_white_space(string hcl, string json) => Assert.Equal(json, ToJson(hcl));

    [Theory]
    [InlineData("mode \"local\"", "1:6: expected '=' or '{' after key 'mode', found a string")]
    [InlineData("mode local", "1:6: expected '=' or '{' after key 'mode', found 'local'")]
    [InlineData("mode", "1:5: expected '=' or '{' after key 'mode', found the end of the document")]
    [InlineData("mode = local", "1:8: expected a value for key 'mode', found 'local' (strings are quoted: \"local\")")]
    [InlineData("mode =", "1:7: expected a value for key 'mode', found the end of the document")]
    [InlineData("a = \"abc", "1:5: unterminated string: no closing '\"'")]
    [InlineData("a = \"abc\nb = 1", "1:5: unterminated string: a quoted string ends on its line (write \\n, or use a heredoc)")]
    [InlineData("a = \"\\q\"", "1:6: invalid escape '\\q' in string (known: \\n \\t \\r \\\" \\\\ \\uXXXX)")]
    [InlineData("a = \"\\u12\"", "1:6: invalid escape '\\u': expected 4 hex digits")]
    [InlineData("a = \"\\ud800\"", "1:6: invalid escape '\\ud800': not a Unicode character (surrogate or beyond U+10FFFF)")]
    [InlineData("a {\n  b = 1\n", "1:3: unterminated block: this '{' has no matching '}'")]
    [InlineData("a = [1, 2", "1:5: unterminated list 'a': this '[' has no matching ']'")]
    [InlineData("a = [1 2]", "1:8: expected ',' or ']' in list 'a', found '2'")]
    [InlineData("a = [1,,2]", "1:8: unexpected ',' in list 'a'")]
    [InlineData("}", "1:1: unexpected '}': no block is open")]
    [InlineData("/* open", "1:1: unterminated comment: this '/*' has no closing '*/'")]
    [InlineData("a = <<EOF\ntext\n", "1:5: unterminated heredoc: no closing line 'EOF'")]
    [InlineData("a = <<EOF text\nEOF", "1:7: heredoc marker 'EOF' must end its line")]
    [InlineData("a = <<\nEOF", "1:5: heredoc needs a marker after '<<', e.g. <<EOF")]
    [InlineData("a = 1.2.3", "1:5: invalid number '1.2.3'")]
    [InlineData("a = 12abc", "1:5: invalid number '12abc'")]
    [InlineData("a = 9223372036854775808", "1:5: invalid number '9223372036854775808'")]
    [InlineData("a = 1\nb = 2\na = 3", "3:1: duplicate key 'a' (first set at line 1, column 1)")]
    [InlineData("  é = \"x\"\n  é \"y\"", "2:5: expected '=' or '{' after key 'é', found a string")]
    [InlineData("= 1", "1:1: expected a key (a name or a quoted string), found '='")]
    [InlineData("a = 1,,", "1:7: unexpected ','")]
    [InlineData("a = \u0001", "1:5: expected a value for key 'a', found '0x01'")]
    public void Syntax_errors_name_the_problem_and_its_line_and_column(string hcl, string expected) => Assert.Equal(expected, ToJson(hcl));

    [Fact]
    public void Nesting_is_bounded()
    {
        string deep = string.Concat(Enumerable.Repeat("a { ", 100)) + string.Concat(Enumerable.Repeat("} ", 100));

        Assert.EndsWith($"nesting deeper than {HclParser.MaxDepth} levels", ToJson(deep));
    }

    [Fact]
    public void Deep_lists_are_bounded_too()
    {
        string deep = "a = " + new string('[', 10_000) + new string(']', 10_000);

        Assert.EndsWith($"nesting deeper than {HclParser.MaxDepth} levels", ToJson(deep));
    }

    [Fact]
    public void A_document_larger_than_the_limit_is_one_error()
    {
        byte[] big = new byte[ConsulConfigReader.MaxDocumentBytes + 1];
        big.AsSpan().Fill((byte)' ');

        var error = Assert.Single(ConsulConfigReader.Read(big, ConsulConfigFormat.Hcl).Errors);

        Assert.Equal($"document: the document is larger than {ConsulConfigReader.MaxDocumentBytes} bytes", error.ToString());
    }

    [Fact]
    public void A_syntax_error_carries_file_line_and_column()
    {
        var error = Assert.Single(ConsulConfigReader.Read("Kind = \"proxy-defaults\"\nMeshGateway {\n  Mode \"local\"\n}\n"u8, ConsulConfigFormat.Hcl, "pd.hcl").Errors);

        Assert.Equal(("pd.hcl", 3, 8), (error.FileName, error.Line, error.Column));
        Assert.Equal("pd.hcl:3:8: document: expected '=' or '{' after key 'Mode', found a string", error.ToString());
    }

    [Fact]
    public void Without_a_file_name_the_position_follows_the_message()
    {
        var error = Assert.Single(ConsulConfigReader.Read("a = \"x"u8, ConsulConfigFormat.Hcl).Errors);

        Assert.Equal("document: unterminated string: no closing '\"' (line 1, column 5)", error.ToString());
    }

    [Theory]
    [InlineData("Kind = \"proxy-defaults\"\nMeshGateway = \"local\"\n", "MeshGateway", "'MeshGateway' must be a block, found a string", 2, 15)]
    [InlineData("Kind = \"proxy-defaults\"\nmesh_gateway { mode = \"local\" }\nmesh_gateway { mode = \"remote\" }\n", "mesh_gateway", "'mesh_gateway' must be a block, found 2 blocks (only one is allowed)", 2, 14)]
    [InlineData("service {\n  name = \"web\"\n  connect { sidecar_service { proxy { upstreams = \"api\" } } }\n}\n", "service.connect.sidecar_service.proxy.upstreams", "'upstreams' must be a list, found a string", 3, 51)]
    [InlineData("Kind = \"service-defaults\"\nName = [\"web\"]\n", "Name", "'Name' must be a string, found a list", 2, 8)]
    public void A_value_of_the_wrong_type_is_reported_at_its_hcl_position(string hcl, string field, string message, int line, int column)
    {
        var error = Assert.Single(ConsulConfigReader.Read(Encoding.UTF8.GetBytes(hcl), ConsulConfigFormat.Hcl).Errors);

        Assert.Equal((field, message, line, column), (error.Field, error.Message, error.Line, error.Column));
    }

    [Theory]
    [InlineData("MeshGateway { Mode = \"local\" }")]
    [InlineData("mesh_gateway { mode = \"local\" }")]
    [InlineData("MeshGateway = { Mode = \"local\" }")]
    [InlineData("meshGateway { mode = \"local\" }")]
    public void Both_key_forms_of_consul_are_read(string block)
    {
        var result = ConsulConfigReader.Read(Encoding.UTF8.GetBytes("Kind = \"proxy-defaults\"\nName = \"global\"\n" + block), ConsulConfigFormat.Hcl);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(MeshGatewayMode.Local, Assert.Single(result.Catalog!.ProxyDefaults).Mode);
    }

    [Fact]
    public void Hcl_and_json_share_the_invalid_mode_error()
    {
        var hcl = ConsulConfigReader.Read("Kind = \"proxy-defaults\"\nMeshGateway { Mode = \"Local\" }"u8, ConsulConfigFormat.Hcl);
        var json = ConsulConfigReader.Read("""{"Kind": "proxy-defaults", "MeshGateway": {"Mode": "Local"}}"""u8, ConsulConfigFormat.Json);

        ConsulConfigError fromJson = Assert.Single(json.Errors);
        ConsulConfigError fromHcl = Assert.Single(hcl.Errors);
        Assert.Equal(fromJson with { Line = 0, Column = 0 }, fromHcl with { Line = 0, Column = 0 });
        // Each at the value as written in its own syntax.
        Assert.Equal(((1, 52), (2, 22)), ((fromJson.Line, fromJson.Column), (fromHcl.Line, fromHcl.Column)));
    }

    [Fact]
    public void A_heredoc_value_is_read_with_its_final_newline()
    {
        var result = ConsulConfigReader.Read("Kind = \"proxy-defaults\"\nMeshGateway {\n  Mode = <<-EOF\n    local\n    EOF\n}\n"u8, ConsulConfigFormat.Hcl);

        Assert.Equal("Invalid Mesh Gateway Mode: \"local\\n\"", Assert.Single(result.Errors).Message);
    }
}
