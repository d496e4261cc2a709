using System.Text.Json;
using System.Text.RegularExpressions;
using MeshGateway.Testing;

namespace MeshGateway.ClientHello.Tests.Captures;

/// <summary>A real ClientHello from tests/TestData/client-hellos: the bytes and what tshark decoded from them.</summary>
public sealed partial record Capture(string Name, byte[] Bytes, string? Sni, string[] Alpn, string? Ja3, string? Ja3String, string? Ja4, string? AssembledJa4, int Records, int Length)
{
    public static string Directory => CaptureFiles.ClientHelloDirectory;

    public static IReadOnlyList<Capture> All { get; } = Load();

    public static TheoryData<string> Names => new(All.Select(c => c.Name));

    public static Capture Get(string name) => All.Single(c => c.Name == name);

    private static Capture[] Load()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.GetFiles(Directory, "*.json")
            .Where(json => File.Exists(Path.ChangeExtension(json, ".bin")))
            .Order(StringComparer.Ordinal)
            .Select(json =>
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
                JsonElement root = doc.RootElement;
                string? notes = root.TryGetProperty("notes", out JsonElement n) ? n.GetString() : null;
                Match assembled = notes is null ? Match.Empty : AssembledJa4Pattern().Match(notes);
                return new Capture(
                    root.GetProperty("name").GetString()!,
                    File.ReadAllBytes(Path.ChangeExtension(json, ".bin")),
                    root.GetProperty("sni").GetString(),
                    root.GetProperty("alpn").EnumerateArray().Select(a => a.GetString()!).ToArray(),
                    root.GetProperty("ja3").GetString(),
                    root.GetProperty("ja3String").GetString(),
                    root.GetProperty("ja4").GetString(),
                    assembled.Success ? assembled.Groups[1].Value : null,
                    root.GetProperty("records").GetInt32(),
                    root.GetProperty("length").GetInt32());
            })
            .ToArray();
    }

    [GeneratedRegex(@"not independent\): (t\w{9}_[0-9a-f]{12}_[0-9a-f]{12})")]
    private static partial Regex AssembledJa4Pattern();
}
