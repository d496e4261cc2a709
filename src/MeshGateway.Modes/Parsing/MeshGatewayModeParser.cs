using System.Text;

namespace MeshGateway.Modes;

/// <summary>
/// Parses and formats mesh gateway modes exactly as Consul's <c>ValidateMeshGatewayMode</c>
/// (<c>agent/structs/connect_proxy_config.go</c>): only <c>""</c>, <c>none</c>, <c>local</c> and
/// <c>remote</c> are valid. The comparison is ordinal and case-sensitive with no trimming, and the word
/// <c>default</c> is invalid (only the empty string means <see cref="MeshGatewayMode.Default"/>).
/// </summary>
public static class MeshGatewayModeParser
{
    /// <summary>The text Consul puts before the quoted input in its error: <c>Invalid Mesh Gateway Mode: </c>.</summary>
    internal const string InvalidModeMessagePrefix = "Invalid Mesh Gateway Mode: ";

    /// <summary>Parses a mode from UTF-16 text.</summary>
    /// <param name="value">The text, compared exactly.</param>
    /// <param name="mode">The mode, or <see cref="MeshGatewayMode.Default"/> when the text is invalid (as Consul returns <c>""</c>).</param>
    /// <returns>True when <paramref name="value"/> is one of Consul's four strings.</returns>
    public static bool TryParse(ReadOnlySpan<char> value, out MeshGatewayMode mode)
    {
        switch (value)
        {
            case "":
                mode = MeshGatewayMode.Default;
                return true;
            case "none":
                mode = MeshGatewayMode.None;
                return true;
            case "local":
                mode = MeshGatewayMode.Local;
                return true;
            case "remote":
                mode = MeshGatewayMode.Remote;
                return true;
            default:
                mode = MeshGatewayMode.Default;
                return false;
        }
    }

    /// <summary>Parses a mode from UTF-8 bytes (for example a JSON string value), with the same rules.</summary>
    /// <param name="utf8Value">The UTF-8 text, compared byte for byte.</param>
    /// <param name="mode">The mode, or <see cref="MeshGatewayMode.Default"/> when invalid.</param>
    /// <returns>True when <paramref name="utf8Value"/> is one of Consul's four strings.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Value, out MeshGatewayMode mode)
    {
        if (utf8Value.IsEmpty)
        {
            mode = MeshGatewayMode.Default;
            return true;
        }

        if (utf8Value.SequenceEqual("none"u8))
        {
            mode = MeshGatewayMode.None;
            return true;
        }

        if (utf8Value.SequenceEqual("local"u8))
        {
            mode = MeshGatewayMode.Local;
            return true;
        }

        if (utf8Value.SequenceEqual("remote"u8))
        {
            mode = MeshGatewayMode.Remote;
            return true;
        }

        mode = MeshGatewayMode.Default;
        return false;
    }

    /// <summary>Parses a mode, throwing Consul's error for anything but the four valid strings.</summary>
    /// <param name="value">The text, compared exactly.</param>
    /// <returns>The mode.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="FormatException">
    /// The text is not a valid mode; the message is exactly Consul's, e.g. <c>Invalid Mesh Gateway Mode: "Local"</c>.
    /// </exception>
    public static MeshGatewayMode Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (TryParse(value.AsSpan(), out MeshGatewayMode mode))
        {
            return mode;
        }

        throw new FormatException(InvalidModeMessage(value));
    }

    /// <summary>
    /// Consul's error for an invalid mode: <c>Invalid Mesh Gateway Mode: </c> followed by the input quoted with
    /// Go's <c>%q</c> (<c>strconv.Quote</c>) rules, so quotes, backslashes and control characters are escaped.
    /// </summary>
    /// <param name="value">The rejected input.</param>
    /// <returns>The message, e.g. <c>Invalid Mesh Gateway Mode: "bad\tmode"</c> for a tab in the input.</returns>
    public static string InvalidModeMessage(ReadOnlySpan<char> value)
    {
        var builder = new StringBuilder(InvalidModeMessagePrefix.Length + value.Length + 8);
        builder.Append(InvalidModeMessagePrefix);
        GoQuote.AppendQuoted(builder, value);
        return builder.ToString();
    }

    /// <summary>Consul's error for an invalid mode given as UTF-8 bytes; invalid UTF-8 bytes appear as <c>\xNN</c>, as in Go.</summary>
    /// <param name="utf8Value">The rejected input.</param>
    /// <returns>The message.</returns>
    public static string InvalidModeMessage(ReadOnlySpan<byte> utf8Value)
    {
        var builder = new StringBuilder(InvalidModeMessagePrefix.Length + utf8Value.Length + 8);
        builder.Append(InvalidModeMessagePrefix);
        GoQuote.AppendQuoted(builder, utf8Value);
        return builder.ToString();
    }

    /// <summary>Formats a mode as Consul writes it: <c>""</c>, <c>none</c>, <c>local</c> or <c>remote</c>.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>Consul's string; parsing it gives <paramref name="mode"/> back.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static string ToConsulString(MeshGatewayMode mode) => mode switch
    {
        MeshGatewayMode.Default => "",
        MeshGatewayMode.None => "none",
        MeshGatewayMode.Local => "local",
        MeshGatewayMode.Remote => "remote",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a defined mesh gateway mode."),
    };
}
