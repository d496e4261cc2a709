using System.Globalization;

namespace MeshGateway.ClientHello;

/// <summary>
/// Immutable, validated limits for sniffing a ClientHello out of QUIC Initial packets. Share one instance across
/// sniffs. The limits bound what a flood of spoofed datagrams can cost: datagrams, packets, CRYPTO bytes and holes,
/// and AEAD decryptions per sniff.
/// </summary>
public sealed class QuicInitialParserOptions
{
    /// <summary>The default <see cref="MaxDatagrams"/>: 8 (Chromium and Firefox need 2 for a post-quantum hello).</summary>
    public const int DefaultMaxDatagrams = 8;

    /// <summary>The default <see cref="MaxPacketsPerDatagram"/>: 4 (Initial, 0-RTT and Handshake, plus one spare).</summary>
    public const int DefaultMaxPacketsPerDatagram = 4;

    /// <summary>The default <see cref="MaxCryptoGaps"/>: 16 holes in the CRYPTO stream at once.</summary>
    public const int DefaultMaxCryptoGaps = 16;

    /// <summary>The largest <see cref="MaxCryptoGaps"/> that may be configured (the state holds at most 32 received ranges).</summary>
    public const int HardMaxCryptoGaps = 31;

    /// <summary>The default <see cref="MaxAeadAttempts"/>: 16 Initial packets decrypted per sniff.</summary>
    public const int DefaultMaxAeadAttempts = 16;

    /// <summary>Creates options, validating every argument and reporting all errors at once.</summary>
    /// <param name="clientHello">The ClientHello profile and handshake cap (the cap also bounds the CRYPTO stream); null means <see cref="ClientHelloParserOptions.Default"/>.</param>
    /// <param name="maxDatagrams">Datagrams read per sniff (ignored ones included) before giving up with <see cref="QuicSniffLimit.Datagrams"/>; 1..64.</param>
    /// <param name="maxPacketsPerDatagram">Coalesced long-header packets walked per datagram; 1..16.</param>
    /// <param name="maxCryptoGaps">Holes allowed in the received CRYPTO stream at once; 0..<see cref="HardMaxCryptoGaps"/>.</param>
    /// <param name="maxAeadAttempts">Initial packets decrypted per sniff; 1..256.</param>
    /// <param name="requireMinimumDatagramSize">When true (the default) an Initial packet in a datagram shorter than 1200 bytes is malformed (RFC 9000 §14.1).</param>
    /// <exception cref="ArgumentException">One or more arguments are out of range; the message lists all of them.</exception>
    public QuicInitialParserOptions(
        ClientHelloParserOptions? clientHello = null,
        int maxDatagrams = DefaultMaxDatagrams,
        int maxPacketsPerDatagram = DefaultMaxPacketsPerDatagram,
        int maxCryptoGaps = DefaultMaxCryptoGaps,
        int maxAeadAttempts = DefaultMaxAeadAttempts,
        bool requireMinimumDatagramSize = true)
    {
        List<string>? errors = null;
        Check(ref errors, nameof(maxDatagrams), maxDatagrams, 1, 64);
        Check(ref errors, nameof(maxPacketsPerDatagram), maxPacketsPerDatagram, 1, 16);
        Check(ref errors, nameof(maxCryptoGaps), maxCryptoGaps, 0, HardMaxCryptoGaps);
        Check(ref errors, nameof(maxAeadAttempts), maxAeadAttempts, 1, 256);
        if (errors is not null)
        {
            throw new ArgumentException("Invalid QuicInitialParserOptions: " + string.Join(" ", errors));
        }

        ClientHello = clientHello ?? ClientHelloParserOptions.Default;
        MaxDatagrams = maxDatagrams;
        MaxPacketsPerDatagram = maxPacketsPerDatagram;
        MaxCryptoGaps = maxCryptoGaps;
        MaxAeadAttempts = maxAeadAttempts;
        RequireMinimumDatagramSize = requireMinimumDatagramSize;
    }

    /// <summary>The defaults, with the strict ClientHello profile.</summary>
    public static QuicInitialParserOptions Default { get; } = new();

    /// <summary>The defaults, with the lenient ClientHello profile.</summary>
    public static QuicInitialParserOptions Lenient { get; } = new(ClientHelloParserOptions.Lenient);

    /// <summary>How the reassembled ClientHello is parsed; its <see cref="ClientHelloParserOptions.MaxHandshakeLength"/> caps the CRYPTO stream.</summary>
    public ClientHelloParserOptions ClientHello { get; }

    /// <summary>Datagrams read per sniff, ignored ones included.</summary>
    public int MaxDatagrams { get; }

    /// <summary>Coalesced packets walked per datagram.</summary>
    public int MaxPacketsPerDatagram { get; }

    /// <summary>Holes allowed in the received CRYPTO stream at once.</summary>
    public int MaxCryptoGaps { get; }

    /// <summary>Initial packets decrypted per sniff.</summary>
    public int MaxAeadAttempts { get; }

    /// <summary>Whether an Initial packet in a datagram shorter than 1200 bytes is malformed.</summary>
    public bool RequireMinimumDatagramSize { get; }

    /// <summary>The CRYPTO stream bytes a sniff may hold: the handshake message cap plus its 4-byte header.</summary>
    public int MaxCryptoBytes => ClientHello.MaxHandshakeLength + TlsWire.HandshakeHeaderLength;

    private static void Check(ref List<string>? errors, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            (errors ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {value} is outside {min}..{max}."));
        }
    }
}
