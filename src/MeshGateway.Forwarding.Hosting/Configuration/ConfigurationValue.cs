using System.Globalization;

namespace MeshGateway.Forwarding.Hosting;

/// <summary>
/// The scalar readers both binders share (<see cref="ForwarderConfiguration"/> and <see cref="MeshGatewayConfiguration"/>):
/// a configuration value is text, and each reader says what is wrong with it in one sentence that starts with the
/// value, quoted and escaped (<c>"ten" is not a duration: …</c>), never by throwing.
/// </summary>
internal static class ConfigurationValue
{
    /// <summary>Reads one value; on failure, <paramref name="error"/> is the sentence.</summary>
    public delegate bool Reader<T>(string text, out T value, out string? error);

    /// <summary>MeshGateway's one duration syntax (<see cref="ForwarderDuration"/>); with <paramref name="allowZero"/>, <c>0</c> too.</summary>
    public static bool TryDuration(string text, bool allowZero, out TimeSpan value, out string? error)
    {
        if (allowZero && (text is "0" or "0s" or "0ms" || (TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out TimeSpan zero) && zero == TimeSpan.Zero)))
        {
            value = TimeSpan.Zero;
            error = null;
            return true;
        }

        if (ForwarderDuration.TryParse(text, out value, out string? problem))
        {
            error = null;
            return true;
        }

        error = $"{MeshGatewayText.Quote(text)} {problem}.";
        return false;
    }

    public static bool TryInteger(string text, out int value, out string? error)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = null;
            return true;
        }

        error = $"{MeshGatewayText.Quote(text)} is not a whole number.";
        return false;
    }

    public static bool TryBoolean(string text, out bool value, out string? error)
    {
        if (bool.TryParse(text, out value))
        {
            error = null;
            return true;
        }

        error = $"{MeshGatewayText.Quote(text)} is not true or false.";
        return false;
    }

    /// <summary>
    /// One of <typeparamref name="TEnum"/>'s names, in any case; with <paramref name="kebabCase"/> also written with
    /// dashes (<c>mesh-gateway</c> for <c>MeshGateway</c>) and listed so in the error. Numbers are refused: they would
    /// bind values the enum does not define.
    /// </summary>
    public static bool TryEnum<TEnum>(string text, bool kebabCase, out TEnum value, out string? error)
        where TEnum : struct, Enum
    {
        string[] names = Enum.GetNames<TEnum>();
        foreach (string name in names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)
                || (kebabCase && string.Equals(KebabCase(name), text, StringComparison.OrdinalIgnoreCase)))
            {
                value = Enum.Parse<TEnum>(name);
                error = null;
                return true;
            }
        }

        value = default;
        error = $"{MeshGatewayText.Quote(text)} is not one of {string.Join(", ", kebabCase ? names.Select(KebabCase) : names)}.";
        return false;
    }

    /// <summary><c>MeshGateway</c> → <c>mesh-gateway</c>, <c>V1</c> → <c>v1</c>.</summary>
    public static string KebabCase(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && char.IsLower(name[i - 1]))
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
