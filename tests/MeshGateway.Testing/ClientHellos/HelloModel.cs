namespace MeshGateway.Testing.ClientHellos;

/// <summary>One extension as the builder writes it: type and raw data.</summary>
public sealed record ExtensionModel(ushort Type, byte[] Data);

/// <summary>
/// What a ClientHello says, for the builder (RFC 8446 §4.1.2). Tests build bytes from a model, parse them, and
/// compare what the parser reports with the model.
/// </summary>
public sealed record HelloModel
{
    public ushort RecordVersion { get; init; } = 0x0301;
    public ushort LegacyVersion { get; init; } = 0x0303;
    public byte[] Random { get; init; } = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    public byte[] SessionId { get; init; } = [];
    public ushort[] CipherSuites { get; init; } = [0x1301, 0x1302, 0xC02F];
    public byte[] CompressionMethods { get; init; } = [0];

    /// <summary>Null: no extensions block at all (legal before TLS 1.3).</summary>
    public IReadOnlyList<ExtensionModel>? Extensions { get; init; } = [];

    public string? ServerName =>
        Extensions?.FirstOrDefault(e => e.Type == 0) is { } e ? System.Text.Encoding.ASCII.GetString(e.Data, 5, e.Data.Length - 5) : null;
}
