using FsCheck;
using FsCheck.Fluent;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests.Properties;

/// <summary>A generated valid hello and the random choices a property applies to it.</summary>
public sealed record HelloCase(HelloModel Model, int[] Cuts, int Seed)
{
    public byte[] Bytes { get; } = ClientHelloBuilder.Build(Model);

    public override string ToString() =>
        $"sni={Model.ServerName ?? "-"} ext=[{string.Join(",", Model.Extensions?.Select(e => e.Type.ToString("x4", System.Globalization.CultureInfo.InvariantCulture)) ?? [])}] len={Bytes.Length} cuts=[{string.Join(",", Cuts)}] seed={Seed}";
}

/// <summary>FsCheck generators for valid ClientHello models (strict-profile valid by construction).</summary>
public static class HelloGenerators
{
    private static readonly string[] Protocols = ["h2", "http/1.1", "h3", "acme-tls/1", "spdy/3", "x"];

    public static Arbitrary<HelloCase> HelloCase() =>
        (from model in Model
         from cuts in ArrayOf(Gen.Choose(0, 4000), Gen.Choose(1, 6))
         from seed in Gen.Choose(0, int.MaxValue)
         select new HelloCase(model, cuts, seed)).ToArbitrary();

    public static Gen<HelloModel> Model =>
        from legacy in Gen.Elements<ushort>(0x0301, 0x0302, 0x0303)
        from record in Gen.Elements<ushort>(0x0301, 0x0303)
        from random in ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), Gen.Constant(32))
        from sessionLength in Gen.Elements(0, 0, 32, 1, 16)
        from ciphers in ArrayOf(Gen.Choose(0, 0xFFFF).Select(c => (ushort)c), Gen.Choose(1, 60))
        from compression in Gen.Elements<byte[]>([0], [0], [1, 0])
        from extensions in Extensions
        select new HelloModel
        {
            RecordVersion = record,
            LegacyVersion = legacy,
            Random = random,
            SessionId = new byte[sessionLength],
            CipherSuites = ciphers,
            CompressionMethods = compression,
            Extensions = extensions,
        };

    private static Gen<IReadOnlyList<ExtensionModel>?> Extensions =>
        from none in Gen.Elements(false, false, false, false, false, false, false, false, false, true)
        from candidates in Gen.Zip(Candidates, Gen.Choose(0, 1000))
        from chosen in Gen.SubListOf(candidates.Item1)
        from shuffled in Gen.Shuffle(chosen.ToArray())
        from psk in Gen.Elements(false, false, false, true)
        select none ? null : (IReadOnlyList<ExtensionModel>)(psk ? shuffled.Append(Ext.PreSharedKey()).ToArray() : shuffled.ToArray());

    // One candidate per extension type, so no type repeats.
    private static Gen<ExtensionModel[]> Candidates =>
        from host in HostName
        from alpn in Gen.NonEmptyListOf(Gen.Elements(Protocols)).Select(l => l.Take(4).ToArray())
        from groups in Gen.NonEmptyListOf(Gen.Elements<ushort>(0x001D, 0x0017, 0x0018, 0x11EC, 0x0A0A, 0x0100))
        from unknown in ArrayOf(Gen.Choose(0x0100, 0xFCFF).Select(t => (ushort)t), Gen.Choose(0, 4))
        from keyLength in Gen.Elements(1, 32, 65, 1216)
        from padding in Gen.Choose(0, 600)
        select new[]
        {
            Ext.ServerName(host),
            Ext.Alpn(alpn),
            Ext.SupportedVersions(0x0304, 0x0303),
            Ext.SupportedGroups(groups.ToArray()),
            Ext.SignatureAlgorithms(0x0403, 0x0804, 0x0401),
            Ext.KeyShare(((ushort)0x001D, 32), ((ushort)0x11EC, keyLength)),
            Ext.EcPointFormats(0),
            Ext.EchOuter(32, 144),
            Ext.Padding(padding),
            Ext.Raw(0x1A1A),
        }.Concat(unknown.Distinct().Where(t => t is not (41 or 43 or 51 or 0xFD00 or 0xFE0D or 0x1A1A)).Select(t => Ext.Raw(t, 1, 2, 3))).ToArray();

    private static Gen<T[]> ArrayOf<T>(Gen<T> element, Gen<int> length) =>
        length.SelectMany(n => Gen.ArrayOf(element, n));

    private static Gen<string> HostName =>
        from labels in Gen.NonEmptyListOf(Label)
        select string.Join(".", labels.Take(5));

    private static Gen<string> Label =>
        from length in Gen.Choose(1, 20)
        from chars in ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()), Gen.Constant(length))
        select new string(chars);
}
