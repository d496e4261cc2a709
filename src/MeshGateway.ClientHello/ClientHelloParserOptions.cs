using System.Globalization;

namespace MeshGateway.ClientHello;

/// <summary>Immutable, validated settings for the ClientHello parser. Share one instance across connections.</summary>
public sealed class ClientHelloParserOptions
{
    /// <summary>The default cap on the handshake message length: 16 KiB, as BoringSSL, Envoy and nginx use.</summary>
    public const int DefaultMaxHandshakeLength = 16384;

    /// <summary>The largest cap that may be configured: 64 KiB (Go caps at 65536, rustls at 65535).</summary>
    public const int HardMaxHandshakeLength = 65536;

    /// <summary>The smallest cap that may be configured.</summary>
    public const int MinMaxHandshakeLength = 256;

    /// <summary>Creates options, validating every argument and reporting all errors at once.</summary>
    /// <param name="profile">Strict (the default) or lenient checking.</param>
    /// <param name="maxHandshakeLength">
    /// The largest ClientHello handshake message accepted, header excluded; larger is <see cref="ClientHelloStatus.TooLarge"/>.
    /// Between <see cref="MinMaxHandshakeLength"/> and <see cref="HardMaxHandshakeLength"/>.
    /// </param>
    /// <param name="recognizeLegacyV2Hello">
    /// When true (the default) an SSL 2.0-compatible hello is <see cref="ClientHelloStatus.Done"/> with
    /// <see cref="ClientHelloInfo.IsLegacyV2Hello"/> set; when false it is <see cref="ClientHelloStatus.NotTls"/>.
    /// </param>
    /// <param name="acceptTrailingDot">
    /// When true (the default) a host_name ending in one dot is accepted under both profiles, as sent, with
    /// <see cref="ServerNameTraits.TrailingDot"/> set: Chromium and Firefox send it for a fully qualified URL and
    /// DNS reads it as the same host. When false the strict profile reports
    /// <see cref="ClientHelloMalformedReason.HostNameTrailingDot"/> (RFC 6066 §3: "without a trailing dot") and the
    /// lenient one sets <see cref="ClientHelloTolerances.HostNameTrailingDot"/>.
    /// </param>
    /// <exception cref="ArgumentException">One or more arguments are out of range; the message lists all of them.</exception>
    public ClientHelloParserOptions(
        ClientHelloProfile profile = ClientHelloProfile.Strict,
        int maxHandshakeLength = DefaultMaxHandshakeLength,
        bool recognizeLegacyV2Hello = true,
        bool acceptTrailingDot = true)
    {
        List<string>? errors = null;
        if (profile is not (ClientHelloProfile.Strict or ClientHelloProfile.Lenient))
        {
            (errors ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"profile: {(int)profile} is not a defined ClientHelloProfile."));
        }

        if (maxHandshakeLength is < MinMaxHandshakeLength or > HardMaxHandshakeLength)
        {
            (errors ??= []).Add(string.Create(
                CultureInfo.InvariantCulture,
                $"maxHandshakeLength: {maxHandshakeLength} is outside {MinMaxHandshakeLength}..{HardMaxHandshakeLength}."));
        }

        if (errors is not null)
        {
            throw new ArgumentException("Invalid ClientHelloParserOptions: " + string.Join(" ", errors));
        }

        Profile = profile;
        MaxHandshakeLength = maxHandshakeLength;
        RecognizeLegacyV2Hello = recognizeLegacyV2Hello;
        AcceptTrailingDot = acceptTrailingDot;
    }

    /// <summary>The strict profile with a 16 KiB cap: what a parser should use unless it has a reason not to.</summary>
    public static ClientHelloParserOptions Default { get; } = new();

    /// <summary>The lenient profile with a 16 KiB cap.</summary>
    public static ClientHelloParserOptions Lenient { get; } = new(ClientHelloProfile.Lenient);

    /// <summary>Strict or lenient checking.</summary>
    public ClientHelloProfile Profile { get; }

    /// <summary>The largest handshake message accepted (bytes after the 4-byte handshake header).</summary>
    public int MaxHandshakeLength { get; }

    /// <summary>Whether an SSL 2.0-compatible hello is recognised (<see cref="ClientHelloStatus.Done"/>) or <see cref="ClientHelloStatus.NotTls"/>.</summary>
    public bool RecognizeLegacyV2Hello { get; }

    /// <summary>Whether a host_name ending in one dot is accepted (the default) or refused as RFC 6066 §3 says.</summary>
    public bool AcceptTrailingDot { get; }

    internal bool IsStrict => Profile == ClientHelloProfile.Strict;
}
