using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MeshGateway.Modes.ConfigEntries;
using MeshGateway.Modes.Tests.Resolution;

namespace MeshGateway.Modes.Tests.ConfigEntries.Hcl;

/// <summary>Hostile HCL never throws; every error position is inside the input.</summary>
[Properties(Arbitrary = [typeof(ModesArbitraries), typeof(HclRobustnessTests)], MaxTest = 300)]
public class HclRobustnessTests
{
    private static readonly string[] Tokens =
    [
        "a", "Kind", "mesh_gateway", "MeshGateway", "mode", "upstreams", "service", " = ", "=", "{", "}", "[", "]", ",",
        "\"x\"", "\"proxy-defaults\"", "\"local\"", "\"", "\\", "\\u", "${", "<<EOF\n", "<<-EOF\n", "EOF\n", "  EOF\n", "\n",
        " ", "#", "//", "/*", "*/", "1", "-", "0x", "1.5e", "true", "é", "\r\n",
    ];

    public static Arbitrary<HclSoup> Soup() =>
        Gen.ListOf(Gen.Elements(Tokens)).Select(parts => new HclSoup(string.Concat(parts))).ToArbitrary();

    /// <summary>True when the read answered and every error position lies within the document.</summary>
    private static bool Answers(ReadOnlySpan<byte> document, ConsulConfigReadResult result)
    {
        if (result.Succeeded ? result.Errors.Count != 0 : result.Catalog is not null || result.Errors.Count == 0)
        {
            return false;
        }

        int lines = document.Count((byte)'\n') + 1;
        foreach (ConsulConfigError error in result.Errors)
        {
            if (error.Line == 0 && error.Column == 0)
            {
                continue;
            }

            if (error.Line < 1 || error.Line > lines || error.Column < 1 || error.Column > document.Length + 1)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Check(byte[] document) => Answers(document, ConsulConfigReader.Read(document, ConsulConfigFormat.Hcl, "f.hcl"));

    [Property]
    public bool Arbitrary_bytes_never_throw(byte[]? bytes) => Check(bytes ?? []);

    [Property]
    public bool Arbitrary_text_never_throws(string? text) => Check(Encoding.UTF8.GetBytes(text ?? ""));

    [Property]
    public bool Token_soup_never_throws(HclSoup soup) => Check(Encoding.UTF8.GetBytes(soup.Text));

    [Property]
    public bool Valid_documents_with_one_byte_changed_never_throw(MeshGatewayModeLayers layers, bool snake, int seed, int position, byte value)
    {
        byte[] document = Encoding.UTF8.GetBytes(JsonToHcl.Convert(DocumentBuilder.Build(layers, snake, emptyBlocks: true), seed));
        document[(int)((uint)position % (uint)document.Length)] = value;
        return Check(document);
    }

    [Property]
    public bool Valid_documents_cut_short_never_throw(MeshGatewayModeLayers layers, bool snake, int seed, int length)
    {
        byte[] document = Encoding.UTF8.GetBytes(JsonToHcl.Convert(DocumentBuilder.Build(layers, snake, emptyBlocks: true), seed));
        return Check(document.AsSpan(0, (int)((uint)length % (uint)document.Length)).ToArray());
    }

    [Property]
    public bool Detected_format_never_throws(HclSoup soup) => Answers(Encoding.UTF8.GetBytes(soup.Text), ConsulConfigReader.Read(soup.Text));

    [Fact]
    public void Every_prefix_of_each_fixture_answers_with_positions_inside_it()
    {
        foreach (string file in Directory.EnumerateFiles(Path.GetDirectoryName(HclFixtures.PathOf("x"))!, "*.hcl"))
        {
            byte[] document = File.ReadAllBytes(file);
            for (int length = 0; length <= document.Length; length++)
            {
                Assert.True(Check(document[..length]), $"{Path.GetFileName(file)} cut at {length}");
            }
        }
    }
}

/// <summary>Text made of HCL tokens and fragments, so the generator reaches deep into the grammar.</summary>
/// <param name="Text">The document.</param>
public sealed record HclSoup(string Text);
