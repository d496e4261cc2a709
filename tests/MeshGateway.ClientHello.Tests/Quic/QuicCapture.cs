using System.Text.Json;
using MeshGateway.Testing;

namespace MeshGateway.ClientHello.Tests.Quic;

/// <summary>A QUIC capture from tests/TestData/quic: length-prefixed datagrams and what tshark decoded from them.</summary>
public sealed record QuicCapture(string Name, byte[][] Datagrams, string? Sni, string[] Alpn, string Ja3, string Ja3String, string Version, string Dcid, int DatagramsNeeded)
{
    public static string Directory => CaptureFiles.QuicDirectory;

    public static IReadOnlyList<QuicCapture> All { get; } = Load();

    public static TheoryData<string> Names => new(All.Select(c => c.Name));

    public static QuicCapture Get(string name) => All.Single(c => c.Name == name);

    /// <summary>Splits the 16-bit big-endian length-prefixed format into datagrams.</summary>
    public static byte[][] Split(byte[] file)
    {
        var datagrams = new List<byte[]>();
        for (int i = 0; i < file.Length;)
        {
            int length = (file[i] << 8) | file[i + 1];
            datagrams.Add(file.AsSpan(i + 2, length).ToArray());
            i += 2 + length;
        }

        return [.. datagrams];
    }

    private static QuicCapture[] Load() =>
        System.IO.Directory.GetFiles(Directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(json =>
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
                JsonElement root = doc.RootElement;
                return new QuicCapture(
                    root.GetProperty("name").GetString()!,
                    Split(File.ReadAllBytes(Path.ChangeExtension(json, ".dgrams"))),
                    root.GetProperty("sni").GetString(),
                    root.GetProperty("alpn").EnumerateArray().Select(a => a.GetString()!).ToArray(),
                    root.GetProperty("ja3").GetString()!,
                    root.GetProperty("ja3String").GetString()!,
                    root.GetProperty("quic_version").GetString()!,
                    root.GetProperty("dcid").GetString()!,
                    root.GetProperty("datagrams").GetInt32());
            })
            .ToArray();

    public override string ToString() => Name;
}
