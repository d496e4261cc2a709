using System.Text;
using FsCheck.Xunit;
using MeshGateway.Modes.ConfigEntries;
using MeshGateway.Modes.Tests.Resolution;

namespace MeshGateway.Modes.Tests.ConfigEntries;

/// <summary>Hostile input never throws: the reader answers with a catalog or with errors, never both, never neither.</summary>
[Properties(Arbitrary = [typeof(ModesArbitraries)], MaxTest = 300)]
public class ReaderRobustnessTests
{
    private static bool Answers(ConsulConfigReadResult result) =>
        result.Succeeded ? result.Errors.Count == 0 : result.Catalog is null && result.Errors.Count > 0;

    [Property]
    public bool Arbitrary_bytes_never_throw(byte[]? bytes) => Answers(ConsulConfigReader.Read(bytes ?? []));

    [Property]
    public bool Arbitrary_text_never_throws(string? text) => Answers(ConsulConfigReader.Read(text ?? ""));

    [Property]
    public bool Valid_documents_with_one_byte_changed_never_throw(MeshGatewayModeLayers layers, bool snake, int position, byte value)
    {
        byte[] document = Encoding.UTF8.GetBytes(DocumentBuilder.Build(layers, snake, emptyBlocks: true));
        document[(int)((uint)position % (uint)document.Length)] = value;
        return Answers(ConsulConfigReader.Read(document));
    }

    [Property]
    public bool Valid_documents_cut_short_never_throw(MeshGatewayModeLayers layers, bool snake, int length)
    {
        byte[] document = Encoding.UTF8.GetBytes(DocumentBuilder.Build(layers, snake, emptyBlocks: true));
        return Answers(ConsulConfigReader.Read(document.AsSpan(0, (int)((uint)length % (uint)document.Length))));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("")]
    public void Documents_that_are_not_an_object_are_one_error(string json)
    {
        var result = ConsulConfigReader.Read(json);

        Assert.False(result.Succeeded);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Invalid_utf8_is_one_error_with_its_offset()
    {
        byte[] json = [.. "{ \"Datacenter\": \"dc"u8, 0xFF, .. "\" }"u8];

        var error = Assert.Single(ConsulConfigReader.Read(json).Errors);

        Assert.Equal("document: the document is not valid UTF-8 (byte 19)", error.ToString());
    }

    [Theory]
    [InlineData("""{ "ConfigEntries": [ { "Kind": "proxy-defaults", "MeshGateway": { "Mode": "\ud800" } } ] }""")]
    [InlineData("""{ "ConfigEntries": [ { "Kind": "proxy-defaults", "Partition": "\udc00x" } ] }""")]
    [InlineData("""{ "Datacenter": "\ud800" }""")]
    public void Escaped_lone_surrogates_are_errors_not_exceptions(string json)
    {
        var result = ConsulConfigReader.Read(json);

        Assert.False(result.Succeeded);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void Escaped_modes_are_unescaped_before_comparing()
    {
        var result = ConsulConfigReader.Read("""{ "ConfigEntries": [ { "Kind": "proxy-defaults", "MeshGateway": { "Mode": "loc\u0061l" } } ] }""");

        Assert.Equal(MeshGatewayMode.Local, result.Catalog!.FindProxyDefaults(null)!.Mode);
    }

    [Fact]
    public void Escaped_invalid_mode_is_quoted_unescaped()
    {
        var result = ConsulConfigReader.Read("""{ "ConfigEntries": [ { "Kind": "proxy-defaults", "MeshGateway": { "Mode": "\u004cocal\n" } } ] }""");

        Assert.Equal("Invalid Mesh Gateway Mode: \"Local\\n\"", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void An_empty_object_is_an_error_naming_the_shapes_expected()
    {
        var result = ConsulConfigReader.Read("{}");

        Assert.StartsWith("document: unrecognised document: expected a config entry (a top-level Kind)", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void A_document_naming_only_its_datacenter_is_an_empty_catalog_there()
    {
        var result = ConsulConfigReader.Read("""{ "Datacenter": "dc7" }""");

        Assert.True(result.Succeeded);
        Assert.Equal("dc7", result.Catalog!.Datacenter);
        Assert.Empty(result.Catalog.Services);
    }
}
