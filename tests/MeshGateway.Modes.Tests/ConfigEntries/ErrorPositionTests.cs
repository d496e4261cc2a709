using System.Text;
using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Modes.Tests.ConfigEntries;

/// <summary>Issue 17: every error about a value names the value's line and column, in JSON and in HCL; a missing value is shown at the object that lacks it.</summary>
public class ErrorPositionTests
{
    [Fact]
    public void Json_errors_name_the_line_and_column_of_the_value_or_of_the_object_missing_it()
    {
        const string Json = "{\n  \"ConfigEntries\": [\n    { \"Kind\": \"proxy-defaults\", \"Name\": \"foo\" },\n    { \"Kind\": \"service-defaults\" },\n    { \"Kind\": \"proxy-default\" }\n  ]\n}\n";

        var result = ConsulConfigReader.Read(Encoding.UTF8.GetBytes(Json), ConsulConfigFormat.Json, "entries.json");

        Assert.Equal(
            [
                ("proxy-defaults \"foo\"", "Name", 3, 41),
                ("ConfigEntries[1]", "Name", 4, 5),
                ("ConfigEntries[2]", "Kind", 5, 15),
            ],
            result.Errors.Select(e => (e.Entry, e.Field, e.Line, e.Column)));
        Assert.StartsWith("entries.json:5:15: ConfigEntries[2]: Kind: invalid config entry kind \"proxy-default\"", result.Errors[2].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Hcl_errors_name_the_line_and_column_of_the_value_in_nested_blocks_and_lists()
    {
        const string Hcl = """
            service {
              name = "web"
              connect {
                sidecar_service {
                  proxy {
                    upstreams = [
                      { destination_name = "db" },
                      { destination_name = "api", mesh_gateway { mode = "Remote" } },
                    ]
                  }
                }
              }
            }
            """;

        var error = Assert.Single(ConsulConfigReader.Read(Encoding.UTF8.GetBytes(Hcl), ConsulConfigFormat.Hcl, "web.hcl").Errors);

        Assert.Equal("web.hcl:8:61: service \"web\": connect.sidecar_service.proxy.upstreams[1].mesh_gateway.mode: Invalid Mesh Gateway Mode: \"Remote\"", error.ToString());
    }

    [Fact]
    public void A_document_of_no_known_shape_is_reported_at_its_start()
    {
        var error = Assert.Single(ConsulConfigReader.Read("\n\n  {\"Node\": \"node-a\"}"u8, ConsulConfigFormat.Json, "other.json").Errors);

        Assert.Equal((3, 3), (error.Line, error.Column));
    }

    [Fact]
    public void A_json_document_with_a_byte_order_mark_is_read_and_the_mark_does_not_shift_the_column()
    {
        byte[] document = [.. "\uFEFF"u8, .. """{"Kind": "proxy-default"}"""u8];

        var error = Assert.Single(ConsulConfigReader.Read(document, ConsulConfigFormat.Json).Errors);
        Assert.StartsWith("invalid config entry kind", error.Message, StringComparison.Ordinal);

        // An editor does not show the mark: the value starts at column 10 of the line as shown.
        Assert.Equal((1, 10), (error.Line, error.Column));
    }
}
