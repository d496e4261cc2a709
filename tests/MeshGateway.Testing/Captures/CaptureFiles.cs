namespace MeshGateway.Testing;

/// <summary>
/// The real captures of tests/TestData (its README says how each was made), as this project copies them beside every
/// test binary and benchmark: <c>TestData/client-hellos</c> (a ClientHello's TLS records, <c>NAME.bin</c>, and what
/// tshark decoded from them, <c>NAME.json</c>) and <c>TestData/quic</c> (length-prefixed datagrams, <c>NAME.dgrams</c>).
/// </summary>
public static class CaptureFiles
{
    /// <summary>The folder of the ClientHello captures.</summary>
    public static string ClientHelloDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestData", "client-hellos");

    /// <summary>The folder of the QUIC captures.</summary>
    public static string QuicDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestData", "quic");

    /// <summary>The path of <paramref name="file"/> (for example <c>curl.bin</c>) among the ClientHello captures.</summary>
    public static string ClientHelloPath(string file) => Path.Combine(ClientHelloDirectory, file);

    /// <summary>The bytes of <paramref name="file"/> (for example <c>curl.bin</c>) among the ClientHello captures.</summary>
    public static byte[] ClientHello(string file) => File.ReadAllBytes(ClientHelloPath(file));

    /// <summary>Every ClientHello capture's <c>.bin</c> file, in ordinal order of its name.</summary>
    public static IReadOnlyList<string> ClientHelloFiles() =>
        [.. Directory.EnumerateFiles(ClientHelloDirectory, "*.bin").Order(StringComparer.Ordinal)];

    /// <summary>The path of <paramref name="file"/> (for example <c>chromium.dgrams</c>) among the QUIC captures.</summary>
    public static string QuicPath(string file) => Path.Combine(QuicDirectory, file);
}
